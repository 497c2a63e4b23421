# test/citus.sh — Citus for the tests: built from the vendored source and a
# coordinator with two workers on this machine.  Source it after
# test/lib.sh; used by test/checks/citus.sh and test/bench/bench.sh --citus.
#
# Citus is not in Debian.  Its source is vendored next to the project
# (../shared/vendor/citus-<version>.tar.gz, with a patch for PostgreSQL
# 15.20 and later; see that directory's README.md).  cv_citus_install
# builds it once per PostgreSQL major and source, keeps the result under
# $CV_CITUS_CACHE (default /var/cache/custvalue/citus; delete it to build
# again from nothing) and copies it into the tests' private PostgreSQL.
CV_CITUS_VERSION=${CV_CITUS_VERSION:-13.2.2}
CV_CITUS_VENDOR=${CV_CITUS_VENDOR:-$(cd "$CV_ROOT/.." && pwd)/shared/vendor}
CV_CITUS_CACHE=${CV_CITUS_CACHE:-${CV_CHROOT_CACHE:-/var/cache/custvalue}/citus}
# Citus 13.2 supports PostgreSQL 15, 16 and 17.
CV_CITUS_MAJORS="15 16 17"

# cv_citus_unavailable: why Citus cannot be built here, or nothing.
cv_citus_unavailable() {
    local tarball=$CV_CITUS_VENDOR/citus-$CV_CITUS_VERSION.tar.gz
    [ -f "$tarball" ] || { echo "the vendored Citus source $tarball is not here"; return; }
    case " $CV_CITUS_MAJORS " in
        *" $CV_PG_MAJOR "*) ;;
        *) echo "Citus $CV_CITUS_VERSION supports PostgreSQL $CV_CITUS_MAJORS, not $CV_PG_MAJOR"; return ;;
    esac
}

# cv_citus_install BINDIR: Citus built (or taken from the cache) and
# installed into the private PostgreSQL whose bin directory is BINDIR.
cv_citus_install() {
    local bindir=$1
    local tarball=$CV_CITUS_VENDOR/citus-$CV_CITUS_VERSION.tar.gz
    local patch=$CV_CITUS_VENDOR/citus-$CV_CITUS_VERSION-pg15.20.patch
    local key
    key=$(cat "$tarball" "$patch" 2>/dev/null | md5sum | cut -c1-12)
    local stage=$CV_CITUS_CACHE/citus-$CV_CITUS_VERSION-pg$CV_PG_MAJOR-$key
    if [ ! -f "$stage/.complete" ]; then
        local missing=() p
        # what the vendored README lists; libcurl is left out (configure
        # --without-libcurl: it only sends usage statistics); patch applies
        # the vendored patch; PostgreSQL 16 and later's server headers
        # include ICU's
        for p in liblz4-dev libzstd-dev libkrb5-dev libssl-dev libicu-dev patch; do
            dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
        done
        if [ ${#missing[@]} -gt 0 ]; then
            [ "$(id -u)" = 0 ] || cv_die "Citus needs ${missing[*]}; run as root or install them"
            cv_log "installing ${missing[*]} (to build Citus)"
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
                || { apt-get update -qq -o Acquire::Check-Valid-Until=false >/dev/null;
                     DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; } \
                || cv_die "apt-get install ${missing[*]} failed"
        fi
        local build
        build=$(mktemp -d "${TMPDIR:-/tmp}/citus-build.XXXXXX")
        cv_log "building Citus $CV_CITUS_VERSION for PostgreSQL $CV_PG_MAJOR (a few minutes, once)"
        tar -xzf "$tarball" -C "$build"
        (
            # not custvalue's flags (the test suite exports -Werror)
            unset COPT PROFILE
            cd "$build/citus-$CV_CITUS_VERSION"
            if [ -f "$patch" ]; then patch -s -p1 < "$patch" || { echo "the vendored patch does not apply"; exit 1; }; fi
            ./configure PG_CONFIG="$CV_PG_CONFIG" --without-libcurl >"$build/configure.log" 2>&1 \
                || { tail -20 "$build/configure.log"; exit 1; }
            make -j"$(nproc)" with_llvm=no >"$build/make.log" 2>&1 || { tail -30 "$build/make.log"; exit 1; }
            rm -rf "$stage"
            make install with_llvm=no DESTDIR="$stage" >"$build/install.log" 2>&1 || { tail -20 "$build/install.log"; exit 1; }
        ) || { rm -rf "$build"; cv_die "building Citus failed"; }
        rm -rf "$build"
        touch "$stage/.complete"
    fi
    local libdir sharedir
    libdir=$("$bindir/pg_config" --pkglibdir)
    sharedir=$("$bindir/pg_config" --sharedir)
    cp -a "$stage/usr/lib/postgresql/$CV_PG_MAJOR/lib/." "$libdir/"
    cp -a "$stage/usr/share/postgresql/$CV_PG_MAJOR/extension/." "$sharedir/extension/"
    chmod -R a+rX "$libdir" "$sharedir/extension"
}

# cv_citus_cluster WORKDIR BINDIR DB: a coordinator (port 5440) and two
# workers (5441, 5442), each its own server listening only on a Unix socket
# in WORKDIR/sock, with Citus preloaded; database DB on each with the citus
# extension, the workers added to the coordinator.  Sets CV_CITUS_SOCK.
# Stop it with cv_citus_stop WORKDIR BINDIR.
cv_citus_cluster() {
    local work=$1 bindir=$2 db=$3 n
    CV_CITUS_SOCK=$work/sock
    mkdir -p "$CV_CITUS_SOCK"
    chmod 755 "$work"
    [ "$(id -u)" = 0 ] && chown postgres: "$CV_CITUS_SOCK"
    for n in 0 1 2; do
        mkdir -p "$work/node$n"
        [ "$(id -u)" = 0 ] && chown postgres: "$work/node$n"
        cv_as_server_user "$bindir/initdb" -D "$work/node$n/data" -U postgres --auth=trust -E UTF8 \
            --no-locale >"$work/node$n/initdb.log" 2>&1 || { cat "$work/node$n/initdb.log" >&2; cv_die "initdb failed"; }
        cat >>"$work/node$n/data/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$CV_CITUS_SOCK'
port = $((5440 + n))
shared_preload_libraries = 'citus'
citus.enable_statistics_collection = off
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 128MB
work_mem = 32MB
max_connections = 100
jit = off
log_min_messages = warning
${CV_CITUS_SERVER_OPTS:-}
EOF
        cv_as_server_user "$bindir/pg_ctl" -D "$work/node$n/data" -l "$work/node$n/server.log" -w -t 60 start \
            >/dev/null || { cat "$work/node$n/server.log" >&2; cv_die "Citus node $n did not start"; }
    done
    for n in 0 1 2; do
        "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$CV_CITUS_SOCK" -p $((5440 + n)) -U postgres -d postgres \
            -c "CREATE DATABASE $db" >/dev/null
        "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$CV_CITUS_SOCK" -p $((5440 + n)) -U postgres -d "$db" \
            -c "CREATE EXTENSION citus" >/dev/null
    done
    "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$CV_CITUS_SOCK" -p 5440 -U postgres -d "$db" >/dev/null <<SQL
SELECT citus_set_coordinator_host('$CV_CITUS_SOCK', 5440);
SELECT citus_add_node('$CV_CITUS_SOCK', 5441);
SELECT citus_add_node('$CV_CITUS_SOCK', 5442);
SQL
}

cv_citus_stop() {
    local work=$1 bindir=$2 n
    for n in 0 1 2; do
        [ -f "$work/node$n/data/postmaster.pid" ] || continue
        cv_as_server_user "$bindir/pg_ctl" -D "$work/node$n/data" -m immediate -w stop >/dev/null 2>&1 || true
    done
}
