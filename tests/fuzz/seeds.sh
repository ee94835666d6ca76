#!/usr/bin/env bash
# tests/fuzz/seeds.sh DIR: gathers the large real seeds of each fuzz target
# into DIR/<target>/ at fuzz time (the small ones are committed in
# tests/fuzz/corpus/): objects and archives of a cached toolchain
# ($STICK_FUZZ_TOOLCHAIN, else the newest 3.13 musl one) and of cached
# extension builds, every cached helper request and result and toolchain
# manifest, the tarballs of tests/vendor and of the source cache (those
# under 256 KB), and the entry names of those tarballs.
set -u
dir=${1:?usage: seeds.sh DIR}
cache=${STICK_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/stick}
top=$(cd "$(dirname "$0")/../.." && pwd)
tc=${STICK_FUZZ_TOOLCHAIN:-$(ls -dt "$cache"/toolchains/3.13-musl-* 2>/dev/null |
	grep -v '\.build$' | head -n 1)}
mkdir -p "$dir"/{elfsym,ar,kvfile,manifest,extract,extract_path}

# Up to 300 members under 64 KB of the toolchain's smaller archives.
if [ -n "$tc" ] && [ -d "$tc" ]; then
	tmp=$(mktemp -d)
	for a in "$tc"/sysroot/usr/lib/libc.a "$tc"/lib/libHacl_Hash_SHA2.a \
		 "$tc"/lib/libmpdec.a "$tc"/lib/libexpat.a; do
		[ -f "$a" ] || continue
		name=$(basename "$a" .a)
		mkdir -p "$tmp/$name"
		(cd "$tmp/$name" && ar x "$a")
		find "$tmp/$name" -type f -size -64k | head -n 100 |
		while read -r o; do
			cp "$o" "$dir/elfsym/$name-$(basename "$o")"
		done
		[ "$(stat -c %s "$a")" -lt 524288 ] && cp "$a" "$dir/ar/"
	done
	rm -rf "$tmp"
	cp "$tc"/sysroot/usr/lib/*.o "$dir/elfsym/" 2>/dev/null
fi
find "$cache"/extensions -name '*.o' -size -256k 2>/dev/null | head -n 100 |
while read -r o; do
	cp "$o" "$dir/elfsym/ext-$(echo "$o" | md5sum | cut -c1-8)-$(basename "$o")"
done

# Helper requests and results, toolchain manifests.
for f in "$cache"/stdlib/*/request "$cache"/stdlib/*/result; do
	[ -f "$f" ] && cp "$f" "$dir/kvfile/$(basename "$(dirname "$f")")-$(basename "$f")"
done
for f in "$cache"/toolchains/*/manifest.json; do
	[ -f "$f" ] && cp "$f" "$dir/manifest/$(basename "$(dirname "$f")").json"
done

# Real tarballs and their entry names.
for f in "$top"/tests/vendor/*.tar.* "$cache"/sources/* "$cache"/debian-sources/*; do
	[ -f "$f" ] && [ "$(stat -c %s "$f")" -lt 262144 ] || continue
	cp "$f" "$dir/extract/"
	tar -tf "$f" 2>/dev/null | head -n 50 | while read -r name; do
		printf '%s' "$name" >"$dir/extract_path/$(printf '%s' "$name" | md5sum | cut -c1-12)"
	done
done
for t in "$dir"/*; do
	echo "seeds: $(ls "$t" | wc -l) in $t"
done
