#!/bin/sh
# regx launcher: this script with the regx jar appended to it (a zip is read from its end, so the JVM takes
# this very file as its class path). Finds java, starts it with flags that make short runs fast, and gives it
# a class-data archive (JDK 17-23: static AppCDS archive; JDK 24+: AOT cache) made for exactly this JDK and
# this regx file, built in the background after the first run in ${XDG_CACHE_HOME:-$HOME/.cache}/regx/.
#
# Environment:
#   JAVA_HOME        the JDK/JRE to use (else java on PATH; one without bin/java is an error); Java 17+.
#   REGX_JAVA_OPTS   extra JVM options, after ours (so they win). Options about -Xshare/CDS/AOT here
#                    switch our archive off.
#   REGX_CDS=0       never use or create an archive.
#
# The archive is best effort: whatever goes wrong with it (no cache dir, read-only or full, stale, foreign or
# truncated file, concurrent first runs) regx runs as it would without it, with nothing extra on stdout or
# stderr and the command's own exit status. Archives are built in the background by a JVM of their own,
# written under a temporary name and renamed. An archive written to after it was made (damaged in place at its
# full size) is not used but rebuilt, and a JVM that crashes anyway writes its crash log into the cache, which
# the next run takes as a reason to rebuild: the JVM does not check an archive's contents unless told to with
# -XX:+VerifySharedSpaces, at a cost on every run, and a damaged one can crash it.

# Our own path, absolute: the archive records the class path, so it must not depend on the current dir.
self=$0
case $self in
    */*) ;;
    *) self=$(command -v -- "$0") || self=$0 ;;
esac
case $self in /*) ;; *) self=$PWD/$self ;; esac
# ... and one string per file, whichever way it was typed (./regx, ../bin/regx, a//regx): the archive's
# directory is named after it, and each spelling would otherwise build its own 15-30 MB archives. Normalised
# here, in the shell (a program would cost a fork and an exec on every run): `//` and `/./` dropped, `/../`
# taken back with the component before it, as `realpath -s` does. That is only lexical: a `..` after a link
# to a directory leads to the parent of the link's target, so the result is kept only if it is the very
# same file (test -ef, a builtin), else the path as typed. Symlinks themselves are not resolved: the JVM
# checks the class path string it is given, and this string is what -cp gets, when building an archive and
# when using it.
case $self in
    *//* | */./* | */../*)
        set -f
        saved_ifs=$IFS
        IFS=/
        norm=
        for c in $self; do
            case $c in
                '' | .) ;;
                ..) norm=${norm%/*} ;;
                *) norm=$norm/$c ;;
            esac
        done
        IFS=$saved_ifs
        set +f
        if [ "$norm" -ef "$self" ]; then
            self=$norm
        fi ;;
esac

# Java: $JAVA_HOME/bin/java, else the first java on PATH. Searched here rather than with $(command -v java):
# every $(...) costs this script a fork, and every program it runs an exec, about a millisecond each on a
# small VM, on every run of every command.
java=
if [ -n "${JAVA_HOME:-}" ]; then
    # Not the java on PATH instead: a JAVA_HOME that is wrong (a JDK removed by an update) would go unnoticed.
    if [ ! -x "$JAVA_HOME/bin/java" ]; then
        echo "regx: JAVA_HOME is set to $JAVA_HOME, which has no bin/java; fix or unset it" >&2
        exit 127
    fi
    java=$JAVA_HOME/bin/java
else
    set -f
    saved_ifs=$IFS
    IFS=:
    for d in $PATH; do
        if [ -f "${d:-.}/java" ] && [ -x "${d:-.}/java" ]; then
            java=${d:-.}/java
            break
        fi
    done
    IFS=$saved_ifs
    set +f
    if [ -z "$java" ]; then
        echo "regx: cannot find Java: install Java 17 or newer, or set JAVA_HOME" >&2
        exit 127
    fi
fi

# -cp and the main class rather than -jar: with -jar the launcher opens the jar to read its manifest and the
# class loader opens it again; each opening indexes all its entries, a few milliseconds for a jar this size.
#
# No hsperfdata file in /tmp, and a 64 MB initial heap: the default is 1/64 of the machine's RAM (380 MB on
# 24 GB), and a command streaming a big layer fills its young generation with short-lived garbage between
# collections, so its peak RSS would follow the machine's RAM (ls of a 1.1 GB layer on 24 GB: 180-230 MB;
# 95 MB with 64 MB, as fast; 32 MB is 5% slower). The heap still grows as needed (the merged view of a big
# image keeps an entry index).
opts="-Xms64m -XX:-UsePerfData"
# The JIT depends on the kind of work. Commands that only exchange a few small documents with the registry
# (layers, help, --version) are over in a fraction of a second: C1 only, so no C2 compile threads compete
# with the one thread that matters. Commands that stream whole layers (ls, save) run as long as the layer is
# big, in loops over every byte (SHA-256, inflate, tar headers), where C1's code is 2-6x slower than C2's
# (SHA-256 is a C2 intrinsic, ten times faster than C1's code);
# they get the full tiered JIT. One compiler thread is enough for C1 alone and leaves the second core to the
# work (README, "Start-up measurements", has the figures of this file's choices). The JIT flags go in $cmdopts, the
# options of the command's own run, which the archive neither depends on nor is keyed by.
#
# The garbage collector too. The short commands get G1 with at most 1 GB of heap (on JDK 17-23; see below
# for 24+): only with G1 does a JDK 17-23 JVM use the heap objects of the JDK's own archive (the module
# graph, class mirrors, interned strings) instead of building them, and with a heap under 4 GB their
# compressed pointers need no patching. The streaming commands keep the serial GC: no GC threads, the least memory per byte
# of heap, and a young generation sized for their garbage, as above.
#
# The same two groups get archives of their own (below): on JDK 24+ an AOT cache is loaded whole when the
# JVM starts, and one holding tar, gzip, zstd and the progress bar starts `layers` later.
case ${1:-} in
    ls | save | cat | extract) cmdopts= group=stream part=stream gc="-XX:+UseSerialGC" ;;
    *) cmdopts="-XX:TieredStopAtLevel=1 -XX:CICompilerCount=1" group=short part=layers gc="-XX:+UseG1GC -Xmx1g" ;;
esac
# Plain HTTP: a command that reaches no registry (help, --version) or one over plain HTTP (a loopback host,
# or --insecure), guessed from the raw arguments, before any parsing: only speed depends on it. regx makes
# no guess of its own: told -Dregx.plainHttp=true, it warms up without the TLS context
# (dev.regx.startup.NetworkWarmUp), which would only take CPU from the main thread.
plain= info=
case ${1:-} in
    -V | --version) plain=1 info=version ;;
    '' | -h | --help | help) plain=1 info=help ;;
    *)
        for a in "$@"; do
            case $a in
                --insecure* | localhost* | 127.* | \[::1\]*)
                    plain=1 cmdopts="$cmdopts -Dregx.plainHttp=true"
                    break ;;
            esac
        done ;;
esac
# A collector named in REGX_JAVA_OPTS replaces ours: the JVM refuses to start with two.
case " ${REGX_JAVA_OPTS:-}" in
    *" -XX:+Use"*GC*) gc= ;;
esac
opts="$gc $opts"

# The JDK: java.home and its exact version, read from the `release` file, which costs no JVM start. With
# JAVA_HOME that is it, as it is for a java on PATH that is no link. But that is usually a chain of links
# (/usr/bin/java -> /etc/alternatives/java -> the JDK's): the JDKs under /usr/lib/jvm, where Linux
# distributions put them, are tried first by identity (test -ef follows links and runs no program); only
# then readlink, whose fork and exec would cost every run.
if [ "$java" = "${JAVA_HOME:-}/bin/java" ]; then
    jh=${JAVA_HOME%/}
elif [ ! -L "$java" ]; then
    jh=${java%/bin/java}
else
    jh=
    for d in /usr/lib/jvm/*/; do
        if [ "$java" -ef "${d}bin/java" ]; then
            jh=${d%/}
            break
        fi
    done
    if [ -z "$jh" ]; then
        real=$(readlink -f -- "$java" 2>/dev/null) || real=
        jh=${real%/bin/java}
    fi
fi
ver=
jv=
if [ -n "$jh" ] && [ -r "$jh/release" ]; then
    # The versions come before the long MODULES line: stop once both are read (`read` takes a byte at a time).
    while IFS='=' read -r k v; do
        case $k in
            JAVA_RUNTIME_VERSION) ver=$v ;;
            JAVA_VERSION) jv=$v ;;
        esac
        [ -n "$ver" ] && [ -n "$jv" ] && break
    done < "$jh/release"
    [ -n "$ver" ] || ver=$jv
fi
ver=${ver#\"}
ver=${ver%\"}
major=${ver%%[!0-9]*}
if [ -z "$major" ]; then
    exec "$java" $opts $cmdopts $REGX_JAVA_OPTS -cp "$self" dev.regx.cli.Main "$@"
fi
if [ "$major" -lt 17 ]; then
    echo "regx: needs Java 17 or newer, but $java is Java $ver (set JAVA_HOME to a newer one)" >&2
    exit 1
fi
# JNI without a warning: since JEP 472 (JDK 24) a library loaded by code not granted native access prints
# four lines of WARNING on stderr, on every run that decodes zstd (zstd-jni loads its library). 22 and 23 warn
# only for the FFM API, which regx does not use; 17 would accept the flag, but it is not needed there. An
# option about modules: part of what an AOT cache checks, so it is in $opts, which the runs that record and
# create the cache share with the runs that use it (on JDK 25 a mismatch silently disables the archived module
# graph, and with it the whole cache: -Xlog:aot says "Mismatched values for property
# jdk.module.enable.native.access"), and with the runs without any archive, just below: this is why those
# come only after the JDK's version is read.
if [ "$major" -ge 24 ]; then
    opts="$opts --enable-native-access=ALL-UNNAMED"
fi
# No archive asked for (or one the user chose in REGX_JAVA_OPTS).
case "${REGX_CDS:-1} $REGX_JAVA_OPTS" in
    0\ * | off\ * | false\ * | no\ * | *Xshare* | *SharedArchive* | *AOT* | *ArchiveClassesAtExit*)
        exec "$java" $opts $cmdopts $REGX_JAVA_OPTS -cp "$self" dev.regx.cli.Main "$@" ;;
esac

# Core reflection the JDK's way before 18: since JEP 416 (JDK 18) a Method.invoke or Constructor.newInstance
# builds method handles on its first call, which no archive holds. The JDK itself makes such calls on regx's
# path: HttpURLConnection, on a registry's 401, loads its NTLM support by reflection; every security provider
# service (SHA-256, the TLS context, its key managers) is instantiated by reflection. regx calls nothing
# reflectively in a loop, where the native accessor would be slower.
if [ "$major" -ge 18 ]; then
    opts="$opts -Djdk.reflect.useNativeAccessorOnly=true"
fi

case ${XDG_CACHE_HOME:-} in
    /*) dir=$XDG_CACHE_HOME/regx ;;
    *) if [ -n "${HOME:-}" ]; then dir=$HOME/.cache/regx; else dir=; fi ;;
esac

if [ -z "$dir" ]; then
    exec "$java" $opts $cmdopts $REGX_JAVA_OPTS -cp "$self" dev.regx.cli.Main "$@"
fi

if [ "$major" -ge 24 ]; then
    # AOT cache (JEP 483): classes loaded and linked. Cannot go with -Xshare.
    ext=aot
    quiet="-Xlog:cds*=off -Xlog:aot*=off"
    # For the short commands, without the method profiles JDK 25 would also record (JEP 515): replayed at
    # start-up, they make the JIT compile the tour's hot methods at once, and for a run this short that
    # compiler thread takes the second core from the warm-up and the main thread. (`ls` and `save` keep
    # them: a long run is what they are for.) A diagnostic flag: asked for only when recording (a JDK
    # without it then makes no cache, instead of refusing to run the command), and only on 25.
    # Nor, then, the thread that would replay them: it is woken at every class initialisation to look for
    # profiles, a few thousand times per run, and each time takes a lock the main thread needs. Diagnostic
    # too: only on 25, where
    # ArchiveRelocationMode below unlocks it.
    notrain= noreplay=
    if [ "$major" -eq 25 ] && [ $group != stream ]; then
        notrain="-XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining"
        noreplay="-XX:-AOTReplayTraining"
    fi
    # Its heap objects serve any GC, and there the serial one starts sooner than G1.
    case $gc in
        *G1*) opts="-XX:+UseSerialGC ${opts#"$gc" }" ;;
    esac
else
    ext=jsa
    quiet="-Xlog:cds*=off"
fi
# Each archive holds only what its commands use, as the parts of the training tour it is built from
# (dev.regx.startup.archive.Training): help and --version get one each, without any registry exchange
# (--version's is made from that very run and no tour); a plain-HTTP command (above) one without TLS; the
# others one with TLS. On JDK 24+ a cache is loaded whole at start-up, so less is less work. A JDK 17-23
# archive is mapped and read as it is used, but the classes one command uses then lie closer together, on fewer
# pages to read and to copy on first write (the JVM writes to each class it loads from an archive).
if [ "$info" = version ]; then
    group=version tour=
elif [ -n "$info" ]; then
    group=help tour=help
elif [ -n "$plain" ]; then
    group=$group-plain tour=$part
else
    tour=$part,tls
fi

# An archive is only good for the regx file at the path it was made with (the JVM checks), so each path has
# a directory of its own, named after it with its slashes as %; a path too long for a file name gets its
# checksum instead. In it, the archive's name says what else it was made for:
#   regx-MAJOR-GROUP-OPTS-SELF-JDK-SIZE.EXT
# GROUP is version, help, short or stream (the commands it was trained with), the last two perhaps with -plain
# (without TLS); OPTS is 0, or the checksum of REGX_JAVA_OPTS; SELF and JDK are the
# size, mtime and inode of this file and of the JDK's modules image (hashing 14 MB would cost more than the
# archive saves); SIZE is the archive's
# own size: a truncated archive (full disk, partial copy) would crash a JDK 17 JVM instead of being ignored,
# so it is only used at exactly the size it was written with. Likewise an archive written to in place (a disk
# or a program that damaged a few KB of it), which would crash the JVM at the same size: the builder gives
# the archive the modification time of this file, and an archive whose time has moved on is not used. (A
# time and not a checksum, which would cost reading 10-30 MB on every run; the JVM's own check,
# -XX:+VerifySharedSpaces, costs about 10 ms a run.) Finding it costs one stat and no other program (each
# costs about a millisecond on a small VM, on every run).
where=
rest=${self#/}
while :; do
    case $rest in
        */*) where=$where${rest%%/*}%; rest=${rest#*/} ;;
        *) where=$where$rest; break ;;
    esac
done
if [ ${#where} -gt 200 ]; then
    where=$(printf '%s' "$self" | cksum)
    where=${where%% *}
fi
optkey=0
if [ -n "${REGX_JAVA_OPTS:-}" ]; then
    optkey=$(printf '%s' "$REGX_JAVA_OPTS" | cksum)
    optkey=${optkey%% *}
fi
home=$dir/$where
prefix=regx-$major-$group-$optkey
nl='
'

# Sets $base (the archive's name without -SIZE.EXT) and, if there is a good one, $archive; removes the
# archives of this path, JDK major and options that are stale or damaged. Fails when stat does.
find_archive() {
    # A JVM crash with this group's archive (its log is written here, see $crashlog): the archive may be what
    # crashed it, so it goes, with the log, and is built again.
    set -- "$home/$prefix"-crash-*.log
    if [ -f "$1" ]; then
        rm -f -- "$@" "$home/$prefix"-*."$ext" 2>/dev/null
    fi
    set -- "$home/$prefix"-*."$ext"
    [ -f "$1" ] || set --
    # GNU/busybox syntax, else BSD/macOS. A file vanishing in between fails the call: no archive this time.
    ids=$(stat -L -c '%s.%Y.%i' -- "$self" "$jh/lib/modules" "$@" 2>/dev/null) ||
        { [ -z "$ids" ] && ids=$(stat -L -f '%z.%m.%i' -- "$self" "$jh/lib/modules" "$@" 2>/dev/null); } ||
        return 1
    self_id=${ids%%"$nl"*}
    self_time=${self_id#*.}
    self_time=${self_time%%.*}
    ids=${ids#*"$nl"}
    jdk_id=${ids%%"$nl"*}
    case $ids in *"$nl"*) ids=${ids#*"$nl"} ;; *) ids= ;; esac
    base=$home/$prefix-$self_id-$jdk_id
    archive=
    for f in "$@"; do
        f_id=${ids%%"$nl"*}
        case $ids in *"$nl"*) ids=${ids#*"$nl"} ;; *) ids= ;; esac
        size=${f##*-}
        size=${size%.*}
        f_time=${f_id#*.}
        f_time=${f_time%%.*}
        if [ -z "$archive" ] && [ "$f" = "$base-$size.$ext" ] && [ "${f_id%%.*}" = "$size" ] \
            && [ "$f_time" = "$self_time" ]; then
            archive=$f
        else
            rm -f -- "$f" 2>/dev/null
        fi
    done
}

# An archive is mapped where it was made to be (ArchiveRelocationMode=0, JDK 17's original default): JDK
# 17.0.x updates and 20+ map it at a random address and then patch every pointer in it, at every start. What
# that buys is address
# randomisation of the archive, which matters for code that lets memory be corrupted; regx is pure Java.
# It is a diagnostic flag, which a JDK may drop without notice and then refuse to start: only on the JDKs
# it was tried on.
reloc=
if [ "$major" -le 25 ]; then
    reloc="-XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0"
fi

if ! find_archive; then
    exec "$java" $opts $cmdopts $REGX_JAVA_OPTS -cp "$self" dev.regx.cli.Main "$@"
fi
if [ -n "$archive" ]; then
    # Should the archive crash the JVM after all (damaged without its time changing), the crash log goes into
    # the cache rather than the current directory, and tells the next run to rebuild (find_archive).
    crashlog=-XX:ErrorFile=$home/$prefix-crash-%p.log
    if [ $ext = aot ]; then
        exec "$java" $opts $cmdopts $reloc -XX:AOTCache="$archive" $noreplay $quiet $crashlog $REGX_JAVA_OPTS -cp "$self" dev.regx.cli.Main "$@"
    fi
    exec "$java" $opts $cmdopts $reloc -Xshare:auto -XX:SharedArchiveFile="$archive" $quiet $crashlog $REGX_JAVA_OPTS -cp "$self" dev.regx.cli.Main "$@"
fi

# A file's size in bytes; GNU/busybox stat, else BSD/macOS.
size_of() { stat -L -c %s -- "$1" 2>/dev/null || stat -L -f %z -- "$1" 2>/dev/null; }

# No usable archive: run the command without one, and build one for the next runs in the background,
# detached from the command: its output, its exit status and its time are the command's alone whatever
# happens to the build (a full disk makes the JVM that writes an archive print an error and exit 1). The
# builder runs dev.regx.startup.archive.Training PARTS: `regx --version`, then a tour of that group's commands,
# quietly (help: help of each; layers; stream: ls and save; the last two against an in-process server on
# 127.0.0.1; tls: one HTTPS exchange) so the archive covers them; for --version's archive, that run alone.
if mkdir -p -- "$home" 2>/dev/null && [ -w "$home" ]; then
    # Archives of older regx files or JDKs go 30 days after they were built (and the directories of paths no
    # longer run); a lock left by a killed builder after 10 minutes. (-ctime: an archive's modification time
    # is that of the regx file it was made for, see above; its change time is when it was built.)
    find "$dir" -type f -name 'regx-*' -ctime +30 -exec rm -f {} + 2>/dev/null
    find "$dir" -type d -name 'regx-*.lock' -mmin +10 -exec rmdir {} + 2>/dev/null
    find "$dir" -mindepth 1 -type d -empty -mtime +30 -exec rmdir {} + 2>/dev/null
    # One builder per archive at a time: concurrent first runs (a CI loop, parallel jobs) start only one.
    lock=$base.lock
    if mkdir -- "$lock" 2>/dev/null; then
        (
            tmp=$base.$$.tmp
            # (The directory of this path goes too if the build left nothing in it.)
            trap 'rm -f -- "$tmp" "$tmp.conf"; rmdir -- "$lock"; rmdir -- "$home" 2>/dev/null' EXIT
            trap 'exit 1' HUP INT TERM
            train=-XX:TieredStopAtLevel=1
            if [ $ext = aot ]; then
                # Record what a run loads and links, then assemble the cache from it.
                "$java" $opts $train $notrain -XX:AOTMode=record -XX:AOTConfiguration="$tmp.conf" $quiet \
                    $REGX_JAVA_OPTS -cp "$self" dev.regx.startup.archive.Training $tour &&
                    "$java" $opts -XX:AOTMode=create -XX:AOTConfiguration="$tmp.conf" -XX:AOTCache="$tmp" $quiet \
                        $REGX_JAVA_OPTS -cp "$self" || exit 0
            else
                # A static archive: list the classes the tour loads (lambda proxies and method-handle forms
                # included), then dump them with the JDK's own in one file. It replaces the JDK's default
                # archive instead of sitting on top of it like a dynamic one (-XX:ArchiveClassesAtExit), and
                # holds what only a static archive can: the class mirrors and strings of regx's classes as
                # heap objects, the method-handle forms its lambdas use pregenerated. Dumped with G1 whatever
                # the command's collector (only G1 writes heap objects on JDK 17-23), and with the short
                # commands' heap limit: their object pointers then need no patching when mapped.
                "$java" $opts $train -Xshare:auto -XX:DumpLoadedClassList="$tmp.conf" $quiet \
                    $REGX_JAVA_OPTS -cp "$self" dev.regx.startup.archive.Training $tour &&
                    "$java" ${gc:+-XX:+UseG1GC -Xmx1g} -Xshare:dump -XX:SharedClassListFile="$tmp.conf" \
                        -XX:SharedArchiveFile="$tmp" $quiet $REGX_JAVA_OPTS -cp "$self" || exit 0
            fi
            [ -s "$tmp" ] || exit 0
            size=$(size_of "$tmp") &&
                touch -r "$self" -- "$tmp" &&
                mv -f -- "$tmp" "$base-$size.$ext" &&
                for f in "$home/$prefix"-*."$ext"; do [ "$f" = "$base-$size.$ext" ] || rm -f -- "$f"; done
            # The whole cache keeps the archives built last, at most 16 and 48 MiB in all (the size is in
            # each name), older ones out first; the one just built stays whatever its size. The 30 days above
            # bound how long, this how much: a CI runner that runs regx from a new path for every job (a
            # workspace per job) would otherwise keep a few archives of 10-30 MB per job for a month, and one
            # path's six groups (help, --version, short and stream commands, with and without TLS) come to
            # about 90 MB. One of a path still in use is built again on its next run. (Newest first by
            # modification time, which is that of the regx file each was made for, see above: the archives of
            # the regx files made last.)
            n=1 total=$size
            ls -t -- "$dir"/*/regx-*.jsa "$dir"/*/regx-*.aot 2>/dev/null | while IFS= read -r f; do
                [ "$f" != "$base-$size.$ext" ] || continue
                n=$((n + 1))
                other=${f##*-}
                other=${other%.*}
                case $other in '' | *[!0-9]*) other=0 ;; esac
                total=$((total + other))
                { [ $n -le 16 ] && [ $total -le 50331648 ]; } || rm -f -- "$f"
            done
        ) </dev/null >/dev/null 2>&1 &
    fi
fi
exec "$java" $opts $cmdopts $REGX_JAVA_OPTS -cp "$self" dev.regx.cli.Main "$@"
