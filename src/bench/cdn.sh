# src/bench/cdn.sh: the benchmarks' CDN stand-in, sourced by save.sh and ls.sh (not run on its own).
#
# nginx from Debian serving the local registry's storage root, which the registry's `redirect` middleware
# points blob GETs at (`src/scripts/local-registry --redirect-to http://127.0.0.1:PORT/`). A real, fast static
# server: with sendfile it serves a warm file at several GB/s on loopback, so what a benchmark measures is the
# client's read path, not the server (the Java BlobRedirectServer of the tests is slower than regx). Like S3
# behind Docker Hub's CDN it answers 400 to a request carrying Authorization, and honours one Range per request.
#
#   cdn_free_port                    prints a free 127.0.0.1 port
#   cdn_start DIR PORT ROOT [RATE]   nginx on 127.0.0.1:PORT serving ROOT, its files under DIR; RATE (e.g. 50m)
#                                    caps each response, as a CDN caps one connection (nginx limit_rate)
#   cdn_stop                         stops the nginx cdn_start started
#   cdn_storage_root LOG             the storage root a local-registry LOG names (its "storage" line)

cdn_pid=""

cdn_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

cdn_storage_root() {
    sed -n 's/^storage  *//p' "$1" | head -n 1
}

cdn_start() {
    local dir="$1" port="$2" root="$3" rate="${4:-0}"
    command -v nginx >/dev/null || { echo "cdn.sh: nginx not found: apt-get install nginx-light" >&2; return 1; }
    mkdir -p "$dir/tmp"
    # Started as root, nginx's workers would drop to nobody, who cannot read the registry's private storage.
    local user=""
    [ "$(id -u)" != 0 ] || user="user root;"
    cat >"$dir/nginx.conf" <<EOF
$user
worker_processes 2;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 256; }
http {
    access_log off;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 10000;
    server {
        listen 127.0.0.1:$port;
        root $root;
        max_ranges 1;
        limit_rate $rate;
        location / {
            # S3's answer to a signed URL that also carries the registry's token.
            if (\$http_authorization) { return 400 "Only one auth mechanism allowed\n"; }
        }
    }
}
EOF
    nginx -p "$dir" -c "$dir/nginx.conf" -g 'daemon off;' 2>>"$dir/error.log" &
    cdn_pid=$!
    local i
    for i in $(seq 1 50); do
        if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
            return 0
        fi
        kill -0 "$cdn_pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "cdn.sh: nginx did not start on port $port:" >&2
    cat "$dir/error.log" >&2
    return 1
}

cdn_stop() {
    if [ -n "$cdn_pid" ]; then
        kill "$cdn_pid" 2>/dev/null || true
        wait "$cdn_pid" 2>/dev/null || true
        cdn_pid=""
    fi
}
