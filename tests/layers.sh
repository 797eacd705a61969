#!/usr/bin/env bash
# layers.sh — the layering of DESIGN.md, checked on the sources: an include
# only points down (core <- models <- project; core <- store <- io; report
# knows core and project; run knows project, store and report; lua knows
# everything above; cli everything), lua.h
# and friends appear only in engine/lua, sqlite3.h only in engine/store.
set -u
cd "${SRC:?set SRC to the source tree}/engine"
allowed() {
    case $1 in
    core) echo "core" ;;
    models) echo "core models" ;;
    project) echo "core models project" ;;
    store) echo "core store" ;;
    io) echo "core store io" ;;
    report) echo "core project report" ;;
    run) echo "core models project store report run" ;;
    lua) echo "core models project store io report run lua" ;;
    cli) echo "core models project store io report run lua cli" ;;
    esac
}
bad=0 n=0
for layer in core models project store io report run lua cli; do
    ok=" $(allowed $layer) "
    for f in "$layer"/*.[ch]; do
        n=$((n + 1))
        while IFS= read -r inc; do
            dir=${inc%%/*}
            case "$ok" in
            *" $dir "*) ;;
            *) echo "layers: $f includes \"$inc\": $layer may include only: $(allowed $layer)"; bad=1 ;;
            esac
        done < <(sed -n 's/^#include "\([a-z]*\/[^"]*\)".*/\1/p' "$f")
        if [ "$layer" != lua ] && grep -Eq '^#include <(lua|lauxlib|lualib)\.h>' "$f"; then
            echo "layers: $f includes a Lua header: only engine/lua may"; bad=1
        fi
        if [ "$layer" != store ] && grep -Eq '^#include <sqlite3\.h>' "$f"; then
            echo "layers: $f includes sqlite3.h: only engine/store may"; bad=1
        fi
    done
done
[ $bad -eq 0 ] && echo "ok: $n files keep to the layers"
exit $bad
