#!/usr/bin/env bash
# memwatch.sh PID OUT STOP — peak private memory of one backend.
#
# Samples RssAnon (the process's private, anonymous resident memory) every
# 20 ms until the file STOP exists or the process ends, then writes the peak
# in kB to OUT.  RssAnon, not VmHWM: VmHWM also counts the shared buffers
# the backend happened to touch, which depends on the table size and the
# buffer ring strategy rather than on what the function allocates.  The loop
# uses only shell builtins and sleep, so it costs the measured query nothing
# noticeable.
pid=$1 out=$2 stop=$3
exec 2>/dev/null
peak=0
sample() {
    local key value _
    while read -r key value _; do
        if [ "$key" = RssAnon: ]; then
            [ "$value" -gt "$peak" ] && peak=$value
            break
        fi
    done < "/proc/$pid/status" 2>/dev/null
}
while sample; [ ! -e "$stop" ] && [ -r "/proc/$pid/status" ]; do
    sleep 0.02
done
echo "$peak" > "$out"
