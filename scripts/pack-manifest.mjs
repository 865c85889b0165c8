// The package.json that npm pack and npm publish put in the tarball has no `prepare` script
// (as pinst does for postinstall). `prepare` builds dist/ for installs from git (npx github:…),
// which run it; a tarball or registry install has dist/ already, and npm warns
// about every install-time script a package it installs carries.
//   node scripts/pack-manifest.mjs strip     (prepack, after the build)
//   node scripts/pack-manifest.mjs restore   (postpack)
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const MANIFEST = "package.json";
const SAVED = "package.json.unpacked";

/** package.json's text without the scripts an install of the packed tarball must not see. */
export function packedManifest(text) {
  const pkg = JSON.parse(text);
  delete pkg.scripts?.prepare;
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const mode = process.argv[2];
  if (mode === "strip") {
    // A copy left by a pack that failed before postpack is the original: keep it.
    if (!existsSync(SAVED)) writeFileSync(SAVED, readFileSync(MANIFEST));
    writeFileSync(MANIFEST, packedManifest(readFileSync(SAVED, "utf8")));
  } else if (mode === "restore") {
    if (existsSync(SAVED)) renameSync(SAVED, MANIFEST);
  } else {
    console.error("usage: node scripts/pack-manifest.mjs strip|restore");
    process.exitCode = 2;
  }
}
