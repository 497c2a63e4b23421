# test/lib.sh — shared shell functions for custvalue's scripts: installing
# what the project needs from Debian packages, building the extension into a
# private copy of the PostgreSQL installation, and running a throw-away
# server.  Source it; every function prefixes its names with cv_.
#
# Why a private copy of PostgreSQL: the server finds extensions only in its
# compiled-in share and lib directories, but Debian's server computes those
# relative to its own binary.  A copy of bin/ (real files) next to symlinked
# share/ and lib/ trees is therefore a complete installation that nobody else
# sees: tests never write to /usr, and two checkouts can test at once.

# The newest PostgreSQL installed here (15 on Debian 12, 17 on Debian 13),
# unless CV_PG_MAJOR says otherwise; 15 on a machine that has none yet.
CV_PG_MAJOR=${CV_PG_MAJOR:-$(ls /usr/lib/postgresql 2>/dev/null | grep -E '^[0-9]+$' | sort -n | tail -1)}
CV_PG_MAJOR=${CV_PG_MAJOR:-15}
CV_PG_BIN=/usr/lib/postgresql/$CV_PG_MAJOR/bin
CV_PG_LIB=/usr/lib/postgresql/$CV_PG_MAJOR/lib
CV_PG_SHARE=/usr/share/postgresql/$CV_PG_MAJOR
CV_PG_CONFIG=$CV_PG_BIN/pg_config
CV_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

cv_log() { printf '==> %s\n' "$*" >&2; }
cv_die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Install the Debian packages the build and the tests need, when missing.
cv_install_deps() {
    local missing=()
    [ -x "$CV_PG_BIN/postgres" ] || missing+=("postgresql-$CV_PG_MAJOR")
    # postgres.h, not pgxs.mk: postgresql-client ships pgxs.mk without the
    # server headers.
    [ -f "/usr/include/postgresql/$CV_PG_MAJOR/server/postgres.h" ] \
        || missing+=("postgresql-server-dev-$CV_PG_MAJOR")
    command -v make >/dev/null || missing+=(make)
    command -v gcc >/dev/null || missing+=(gcc)
    command -v psql >/dev/null || missing+=("postgresql-client-$CV_PG_MAJOR")
    # scheduling the monthly cycle (test/checks/pg_cron.sh)
    [ -f "$CV_PG_LIB/pg_cron.so" ] || missing+=("postgresql-$CV_PG_MAJOR-cron")
    # fuzzing (test/fuzz, test/checks/fuzz.sh): clang with libFuzzer and sanitizers
    command -v clang >/dev/null || missing+=(clang)
    compgen -G "/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a" >/dev/null \
        || missing+=(libclang-rt-dev)
    [ ${#missing[@]} -eq 0 ] && return 0
    [ "$(id -u)" = 0 ] || cv_die "missing packages ${missing[*]}; run as root or install them"
    cv_log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # A mirror snapshot may carry Release files past their Valid-Until date
    # (the forky tree); the packages are still the signed ones.
    apt-get update -qq -o Acquire::Check-Valid-Until=false >/dev/null
    # The postgresql-common package would create and start a default cluster;
    # we only want the binaries.
    mkdir -p /etc/postgresql-common
    if [ ! -f /etc/postgresql-common/createcluster.conf ]; then
        echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.conf
    fi
    apt-get install -y -qq --no-install-recommends \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
        "${missing[@]}" >/dev/null \
        || cv_die "apt-get install ${missing[*]} failed"
}

# The user that runs the server: PostgreSQL refuses to run as root.
cv_server_user() {
    if [ "$(id -u)" = 0 ]; then echo postgres; else id -un; fi
}

cv_as_server_user() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# cv_make ARGS...: make with the right pg_config.
cv_make() {
    make -C "$CV_ROOT" -s PG_CONFIG="$CV_PG_CONFIG" "$@"
}

# cv_test_module SRC.c: build a test-only C module with PGXS (warnings as
# errors) and install it into the throw-away server's lib directory
# ($CV_BIN/../lib), for CREATE FUNCTION ... AS '<name>'.  Needs CV_TMP and
# CV_BIN (cv_throwaway_server).
cv_test_module() {
    local src=$1 name
    name=$(basename "$src" .c)
    local build=$CV_TMP/module-$name
    mkdir -p "$build"
    cp "$src" "$build/"
    cat > "$build/Makefile" <<MK
MODULES = $name
PG_CONFIG = $CV_PG_CONFIG
PG_CPPFLAGS = -I$CV_ROOT/src
PGXS := \$(shell \$(PG_CONFIG) --pgxs)
include \$(PGXS)
MK
    # COPT on the command line: not the custvalue build's exported flags
    make -s -C "$build" COPT=-Werror >/dev/null || cv_die "building $src failed"
    cp "$build/$name.so" "$CV_BIN/../lib/"
    chmod a+r "$CV_BIN/../lib/$name.so"
}

# cv_private_install DIR: a private PostgreSQL installation under DIR with
# custvalue installed into it; prints its bin directory.
cv_private_install() {
    local dir=$1
    local bindir=$dir/usr/lib/postgresql/$CV_PG_MAJOR/bin
    mkdir -p "$bindir" "$dir/usr/share/postgresql"
    cp -a "$CV_PG_BIN/." "$bindir/"
    cp -rs "$CV_PG_LIB" "$dir/usr/lib/postgresql/$CV_PG_MAJOR/lib"
    cp -rs "$CV_PG_SHARE" "$dir/usr/share/postgresql/$CV_PG_MAJOR"
    cv_make install DESTDIR="$dir" >/dev/null
    chmod -R a+rX "$dir"
    echo "$bindir"
}

# cv_server_start WORKDIR BINDIR: initdb and start a server that listens
# only on a Unix socket in WORKDIR.  Sets PGHOST, PGPORT, PGUSER, PGDATABASE
# for the caller.  Extra server settings come from CV_SERVER_OPTS.
cv_server_start() {
    local work=$1 bindir=$2
    CV_SERVER_WORK=$work
    CV_SERVER_BIN=$bindir
    mkdir -p "$work/data" "$work/sock"
    chmod 755 "$work"
    [ "$(id -u)" = 0 ] && chown -R postgres: "$work/data" "$work/sock"
    cv_as_server_user "$bindir/initdb" -D "$work/data" -U postgres \
        --auth=trust -E UTF8 --no-locale >"$work/initdb.log" 2>&1 \
        || { cat "$work/initdb.log" >&2; cv_die "initdb failed"; }
    cat >>"$work/data/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$work/sock'
port = 5432
fsync = off
synchronous_commit = off
full_page_writes = off
max_parallel_workers_per_gather = 2
shared_buffers = 256MB
maintenance_work_mem = 256MB
work_mem = 64MB
max_wal_size = 4GB
log_min_messages = warning
${CV_SERVER_OPTS:-}
EOF
    touch "$work/server.log"
    [ "$(id -u)" = 0 ] && chown postgres: "$work/server.log"
    cv_as_server_user "$bindir/pg_ctl" -D "$work/data" -l "$work/server.log" \
        -w -t 60 start >/dev/null \
        || { cat "$work/server.log" >&2; cv_die "server did not start"; }
    export PGHOST=$work/sock PGPORT=5432 PGUSER=postgres PGDATABASE=postgres
}

cv_server_stop() {
    [ -n "${CV_SERVER_WORK:-}" ] && [ -f "$CV_SERVER_WORK/data/postmaster.pid" ] || return 0
    cv_as_server_user "$CV_SERVER_BIN/pg_ctl" -D "$CV_SERVER_WORK/data" \
        -m immediate -w stop >/dev/null 2>&1 || true
}

# cv_throwaway_server: a private install and a running server in a fresh
# temporary directory, both removed when the calling script exits, whether
# it succeeds or fails.  CV_KEEP=1 keeps the directory for a post-mortem.
cv_throwaway_server() {
    CV_TMP=$(mktemp -d "${TMPDIR:-/tmp}/custvalue.XXXXXX")
    chmod 755 "$CV_TMP"
    trap cv_cleanup EXIT
    trap 'exit 130' INT TERM
    local bindir
    bindir=$(cv_private_install "$CV_TMP/install") || cv_die "install into $CV_TMP failed"
    CV_BIN=$bindir
    cv_server_start "$CV_TMP/server" "$bindir"
}

cv_cleanup() {
    local rc=$?
    cv_server_stop
    if [ -n "${CV_TMP:-}" ]; then
        if [ "${CV_KEEP:-0}" = 1 ]; then cv_log "kept $CV_TMP"; else rm -rf "$CV_TMP"; fi
    fi
    exit $rc
}

# Other PostgreSQL majors, each in a throw-away Debian tree: cv_chroot SUITE
# MAJOR prints the root of a Debian SUITE (e.g. trixie) with PostgreSQL
# MAJOR and the build tools, under $CV_CHROOT_CACHE (default
# /var/cache/custvalue), made with debootstrap from Debian's packages when
# missing and kept for the next run.  Delete the directory to rebuild it
# from nothing.
CV_CHROOT_CACHE=${CV_CHROOT_CACHE:-/var/cache/custvalue}
cv_chroot() {
    local suite=$1 major=$2
    local root=$CV_CHROOT_CACHE/$suite
    if [ ! -x "$root/usr/lib/postgresql/$major/bin/postgres" ] \
       || [ ! -f "$root/usr/include/postgresql/$major/server/postgres.h" ] \
       || ! compgen -G "$root/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a" >/dev/null; then
        [ "$(id -u)" = 0 ] || cv_die "making the $suite tree needs root"
        command -v debootstrap >/dev/null || {
            apt-get update -qq >/dev/null
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null \
                || cv_die "apt-get install debootstrap failed"
        }
        local mirror
        mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
        mirror=${mirror:-http://deb.debian.org/debian}
        cv_log "making a Debian $suite tree with PostgreSQL $major in $root (debootstrap from $mirror)"
        rm -rf "$root.tmp"
        mkdir -p "$CV_CHROOT_CACHE"
        # The cluster Debian's postgresql package would create is not wanted.
        mkdir -p "$root.tmp/etc/postgresql-common"
        echo 'create_main_cluster = false' > "$root.tmp/etc/postgresql-common/createcluster.conf"
        # A suite newer than this debootstrap (e.g. forky on Debian 12) is
        # made with the script of sid, which every newer suite shares.
        local script=/usr/share/debootstrap/scripts/$suite
        [ -e "$script" ] || script=/usr/share/debootstrap/scripts/sid
        debootstrap --variant=minbase \
            --include="postgresql-$major,postgresql-server-dev-$major,postgresql-$major-cron,make,gcc,libc6-dev,clang,libclang-rt-dev,valgrind" \
            "$suite" "$root.tmp" "$mirror" "$script" > "$CV_CHROOT_CACHE/$suite.debootstrap.log" 2>&1 \
            || { tail -20 "$CV_CHROOT_CACHE/$suite.debootstrap.log" >&2; cv_die "debootstrap $suite failed"; }
        rm -rf "$root"
        mv "$root.tmp" "$root"
    fi
    echo "$root"
}

# cv_in_chroot ROOT COMMAND...: run COMMAND (a path inside ROOT) under
# chroot with /proc and a /dev/shm of its own mounted (PostgreSQL needs
# shared memory; debootstrap made the device nodes), unmounted afterwards.
cv_in_chroot() {
    local root=$1 rc=0
    shift
    mkdir -p "$root/dev/shm"
    cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
    mount -t proc proc "$root/proc"
    mount -t tmpfs -o size=2g,mode=1777 tmpfs "$root/dev/shm"
    chroot "$root" "$@" || rc=$?
    umount "$root/dev/shm" "$root/proc" || true
    return $rc
}
