#!/usr/bin/env bash
# `npm run package`: dist/pkg/kyso-bridge_<version>-<revision>_amd64.deb with dpkg-deb, offline.
# The package carries the Node runtime the native addons (pkcs11js, better-sqlite3) were built
# for — this machine's node, so a stock Debian 12 (nodejs 18) needs no other apt source — and
# only the production dependencies, pruned from a staging copy of node_modules (no download).
set -euo pipefail
cd "$(dirname "$0")/.."
REVISION="${KYSO_DEB_REVISION:-1}"
VERSION="$(node -p 'require("./package.json").version')"
ARCH="$(dpkg --print-architecture)"
NAME="kyso-bridge_${VERSION}-${REVISION}_${ARCH}"
OUT="dist/pkg"
ROOT="$OUT/build/$NAME"
LIB="$ROOT/usr/lib/kyso-bridge"
APP="$LIB/app"

npm run build --silent >/dev/null
rm -rf "$OUT/build" "$OUT/$NAME.deb"
mkdir -p "$APP" "$ROOT/usr/bin" "$ROOT/usr/lib/systemd/user" "$ROOT/usr/share/doc/kyso-bridge" "$ROOT/usr/share/lintian/overrides" "$ROOT/DEBIAN"

# The application: compiled JavaScript without maps/typings, the driver catalogue, package.json
# (version, module type). The demo portal stays in the clone (npm run demo).
cp package.json package-lock.json "$APP/"
mkdir -p "$APP/dist" "$APP/native-drivers"
cp -r dist/src dist/bin "$APP/dist/"
cp dist/kyso-bridge-client.js "$APP/dist/"
rm -rf "$APP/dist/src/portal/demo"
find "$APP/dist" \( -name '*.map' -o -name '*.d.ts' \) -delete
cp native-drivers/catalogue.json native-drivers/catalogue.schema.json "$APP/native-drivers/"

# Production dependencies only: prune a copy, offline, without running any install script.
cp -a node_modules "$APP/node_modules"
(cd "$APP" && npm prune --omit=dev --offline --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
rm -f "$APP/package-lock.json" "$APP/node_modules/.package-lock.json"
rm -rf "$APP/node_modules/.bin"
# Native addons: keep the built .node files, drop their sources, objects and test extension.
for addon in better-sqlite3 pkcs11js; do
  d="$APP/node_modules/$addon"
  rm -rf "$d/deps" "$d/src" "$d/includes" "$d/build/Release/obj.target" "$d/build/Release/.deps" "$d/build/Release/test_extension.node" \
    "$d/build/Release/obj" "$d/build/deps" "$d/build/"*.mk "$d/build/Makefile" "$d/build/config.gypi" "$d/build/"*.target.mk "$d/binding.gyp"
  find "$d/build" -mindepth 1 -maxdepth 1 ! -name Release -exec rm -rf {} +
done
find "$APP/node_modules" -type f \( -name '*.md' -o -name '*.markdown' -o -name '*.ts' -o -name '*.map' -o -name '.npmignore' -o -name '.eslintrc*' \
  -o -name '.editorconfig' -o -name '.travis.yml' -o -name '.git*' -o -name '*.a' -o -name 'tsconfig*.json' -o -name '.prettierrc*' -o -name 'Makefile' \) -delete
find "$APP/node_modules" -type d \( -name test -o -name tests -o -name '__tests__' -o -name example -o -name examples -o -name docs -o -name '.github' \) -prune -exec rm -rf {} +
find "$APP/node_modules" -name '*.node' -exec strip --strip-unneeded {} +
# Scripts in libraries are run through node, never executed directly.
find "$APP" -type f -exec chmod 0644 {} +

# The runtime the addons were built for.
install -m 0755 "$(readlink -f "$(command -v node)")" "$LIB/node"
strip --strip-unneeded "$LIB/node"
NODE_VERSION="$("$LIB/node" --version)"

cat > "$ROOT/usr/bin/kyso-bridge" <<'SH'
#!/bin/sh
# kyso-bridge with the Node runtime it was built for (the system's nodejs may be older).
exec /usr/lib/kyso-bridge/node /usr/lib/kyso-bridge/app/dist/bin/kyso-bridge.js "$@"
SH
chmod 0755 "$ROOT/usr/bin/kyso-bridge"

# The systemd user unit, from the same generator `kyso-bridge install` uses.
node --input-type=module -e '
  import { systemdUserUnit, SERVE_ARGS } from "./dist/src/install/units.js";
  process.stdout.write(systemdUserUnit({ program: "/usr/bin/kyso-bridge", args: SERVE_ARGS }, { docPath: "/usr/share/doc/kyso-bridge/README.md.gz" }));
' > "$ROOT/usr/lib/systemd/user/kyso-bridge.service"
chmod 0644 "$ROOT/usr/lib/systemd/user/kyso-bridge.service"

# Documentation, copyright, changelog, lintian overrides.
gzip -9n < README.md > "$ROOT/usr/share/doc/kyso-bridge/README.md.gz"
sed -e "s/@NODE_VERSION@/$NODE_VERSION/" packaging/debian/copyright > "$ROOT/usr/share/doc/kyso-bridge/copyright"
DATE="$(date -R -d "@${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}")"
printf 'kyso-bridge (%s-%s) unstable; urgency=medium\n\n  * Package built from the kyso-bridge sources with Node %s.\n\n -- kyso-bridge maintainers <kyso-bridge@lists.debian.example.org>  %s\n' \
  "$VERSION" "$REVISION" "$NODE_VERSION" "$DATE" | gzip -9n > "$ROOT/usr/share/doc/kyso-bridge/changelog.Debian.gz"
install -m 0644 packaging/debian/lintian-overrides "$ROOT/usr/share/lintian/overrides/kyso-bridge"

# Control files.
SIZE="$(du -sk --exclude=DEBIAN "$ROOT" | cut -f1)"
sed -e "s/@VERSION@/$VERSION-$REVISION/" -e "s/@ARCH@/$ARCH/" -e "s/@SIZE@/$SIZE/" packaging/debian/control > "$ROOT/DEBIAN/control"
for s in postinst postrm; do install -m 0755 "packaging/debian/$s" "$ROOT/DEBIAN/$s"; done
(cd "$ROOT" && find usr -type f -print0 | sort -z | xargs -0 md5sum > DEBIAN/md5sums)
chmod 0644 "$ROOT/DEBIAN/md5sums"
find "$ROOT" -type d -exec chmod 0755 {} +

dpkg-deb --root-owner-group -Zxz --build "$ROOT" "$OUT/$NAME.deb" >/dev/null
rm -rf "$OUT/build"
echo "$OUT/$NAME.deb $(du -h "$OUT/$NAME.deb" | cut -f1) (installed ${SIZE} KiB)"
