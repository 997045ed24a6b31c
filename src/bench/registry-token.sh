# Sourced by the benchmark scripts (bash): the curl side's token flow, as any client goes through it.
#
# token: prints a bearer token for pulling $repo from the registry at $host (HOST:PORT, plain HTTP), or nothing
# if the registry wants no auth. Docker's flow by hand: GET /v2/ -> 401 with the Bearer challenge -> the realm's
# token for scope repository:$repo:pull. Exported, so the timed contenders (bash -c) can call it.
token() {
    local challenge realm service
    challenge="$(curl -s -o /dev/null -D - "http://$host/v2/" | tr -d '\r' | grep -i '^www-authenticate:' || true)"
    [ -n "$challenge" ] || return 0
    realm="$(sed -n 's/.*realm="\([^"]*\)".*/\1/p' <<<"$challenge")"
    service="$(sed -n 's/.*service="\([^"]*\)".*/\1/p' <<<"$challenge")"
    curl -sfG "$realm" --data-urlencode "service=$service" --data-urlencode "scope=repository:$repo:pull" \
        | sed -n 's/.*"\(access_\)\{0,1\}token" *: *"\([^"]*\)".*/\2/p'
}
export -f token
