#!/usr/bin/env python3
"""Trunk post_build hook (before externalise_boot.py): cut the app's wasm into the first
download and the chunks its parts load on first use (src/ui/lazy.rs), and put them where
Trunk put the uncut app.

Trunk 0.21 runs cargo, wasm-bindgen and wasm-opt in one step with no hook in between,
but the cut must come between cargo and wasm-bindgen (wasm-bindgen drops the linker's
relocations that wasm_split_cli needs to know what refers to what). So Trunk builds the
app as usual with `data-wasm-opt="0"` (its wasm-bindgen output is thrown away), and this
hook runs the real pipeline on cargo's own output:

  1. wasm_split_cli (crate wasm_split_cli_support, scripts/setup.sh installs it) cuts
     target/wasm32-unknown-unknown/<profile>/onebudget-web.wasm (linked with
     --emit-relocs, build.rs) into main.wasm, split_<part>.wasm, chunk_<n>.wasm (code
     two or more parts share) and __wasm_split.js (the loader).
     wasm_split_cli 0.2.2 knows wasm-bindgen's descriptor marker by its name before
     0.2.128 (`__wbindgen_describe_cast`); 0.2.130 calls it
     `__wbindgen_describe_generic_import`. Without the old name it moves code that
     calls the marker into chunks, and wasm-bindgen then fails ("index out of bounds"
     in `decode_generic_import`). The import is renamed to the old name before the cut
     and back after it; nothing else in the file changes.
  2. wasm-bindgen --target web --keep-lld-exports on main.wasm (the chunks are not
     wasm-bindgen's business: they reach JavaScript only through the main module).
  3. wasm-opt on the main wasm and on every chunk, with the level and passes index.html
     writes once, on the app's link (`data-split-wasm-opt`, `data-split-wasm-opt-params`;
     its `data-wasm-opt="0"` turns Trunk's own wasm-opt off for the app).
  4. Every file named by its content. The chunks' manifest (onebudget-chunks-*.json)
     names each chunk's file and SHA-384; the loader (onebudget-split-*.js, itself
     SRI-checked: a modulepreload link with integrity, like the glue) carries the
     manifest's SHA-384, fetches it with `integrity` when a part first loads, then each
     chunk likewise, reads it as bytes (any MIME type) and instantiates it with the main
     module's memory and table.
  5. index.html: Trunk's boot script and preload links name the new glue and wasm with
     their new hashes, a modulepreload names the loader, and
     `<meta name="onebudget-app">` names the manifest and the parts' stylesheet (with SRI).
  6. The offline boot module (onebudget-offline-*.js, named in the manifest): the glue
     and the loader as one module that takes the wasm and every chunk from the page that
     carries them (board::offline_page), for "Download for offline use".

A debug build (`trunk serve`) is not cut: Trunk's output stays, and the parts are linked
in (build.rs sets `cfg(wasm_split)` for release builds only).
"""
import base64
import concurrent.futures
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys

APP = "onebudget-web"
MARKER_MODULE = "__wbindgen_placeholder__"
MARKER_NOW = "__wbindgen_describe_generic_import"
MARKER_BEFORE = "__wbindgen_describe_cast"
PARTS_CSS = "onebudget-parts.css"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def sri(data: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode("ascii")


def tool(name: str) -> str:
    for candidate in (os.path.join(ROOT, "node_modules", ".bin", name),
                      os.path.join(os.path.expanduser("~"), ".cargo", "bin", name)):
        if os.path.exists(candidate):
            return candidate
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"split_wasm: {name} not found (bash scripts/setup.sh build installs it)")
    return found


# --- wasm: rename one import ------------------------------------------------------------

def _leb(data: bytes, i: int) -> "tuple[int, int]":
    value = shift = 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, i


def _uleb(n: int) -> bytes:
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def rename_import(data: bytes, module: str, old: str, new: str) -> "tuple[bytes, int]":
    """The wasm with the function import `module`.`old` called `new`, and how many
    imports were renamed. Only the import section changes (relocations are relative to
    their own section, so nothing else moves)."""
    if data[:8] != b"\0asm\x01\0\0\0":
        raise SystemExit("split_wasm: not a wasm module")
    out = bytearray(data[:8])
    i, renamed = 8, 0
    while i < len(data):
        section = data[i]
        size, start = _leb(data, i + 1)
        body = data[start:start + size]
        i = start + size
        if section == 2:
            count, k = _leb(body, 0)
            rebuilt = bytearray(_uleb(count))
            for _ in range(count):
                names = []
                for _ in range(2):
                    length, k = _leb(body, k)
                    names.append(body[k:k + length])
                    k += length
                begin, kind = k, body[k]
                k += 1
                if kind == 0:  # function: type index
                    _, k = _leb(body, k)
                elif kind == 4:  # tag: attribute, type index
                    _, k = _leb(body, k + 1)
                elif kind in (1, 2):  # table (reference type first) or memory: limits
                    k += 1 if kind == 1 else 0
                    flags = body[k]
                    _, k = _leb(body, k + 1)
                    if flags & 1:
                        _, k = _leb(body, k)
                elif kind == 3:  # global: value type, mutability
                    k += 2
                else:
                    raise SystemExit(f"split_wasm: unknown import kind {kind}")
                if names == [module.encode(), old.encode()]:
                    names[1] = new.encode()
                    renamed += 1
                for name in names:
                    rebuilt += _uleb(len(name)) + name
                rebuilt += body[begin:k]
            body = bytes(rebuilt)
        out.append(section)
        out += _uleb(len(body)) + body
    return bytes(out), renamed


# --- the pipeline -----------------------------------------------------------------------

def target_dir() -> str:
    if os.environ.get("CARGO_TARGET_DIR"):
        return os.environ["CARGO_TARGET_DIR"]
    meta = subprocess.run(["cargo", "metadata", "--format-version", "1", "--no-deps", "--offline"],
                          cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return json.loads(meta)["target_directory"]


def wasm_opt_settings(source_html: str) -> "tuple[str, list[str]]":
    """The app's wasm-opt level and passes: index.html writes them once, on the app's rust
    link (`data-split-wasm-opt`, `data-split-wasm-opt-params`). benches/wasm_items.sh and
    tests/build_settings.rs read them through this function."""
    link = re.search(r'<link\b[^>]*data-bin="%s"[^>]*>' % re.escape(APP), source_html)
    if not link:
        raise SystemExit(f"split_wasm: index.html has no rust link for {APP}")
    attrs = dict(re.findall(r'(data-[a-z-]+)="([^"]*)"', link.group(0)))
    if "data-split-wasm-opt" not in attrs or "data-split-wasm-opt-params" not in attrs:
        raise SystemExit(f"split_wasm: index.html's {APP} link has no data-split-wasm-opt(-params)")
    return attrs["data-split-wasm-opt"], attrs["data-split-wasm-opt-params"].split()


def cut(wasm_in: str, work: str) -> "dict[str, bytes]":
    """wasm_split_cli on cargo's output: {file name: bytes}, main.wasm and the chunks."""
    with open(wasm_in, "rb") as f:
        data, renamed = rename_import(f.read(), MARKER_MODULE, MARKER_NOW, MARKER_BEFORE)
    if renamed != 1:
        raise SystemExit(f"split_wasm: expected one {MARKER_NOW} import, found {renamed}")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    renamed_in = os.path.join(work, "input.wasm")
    with open(renamed_in, "wb") as f:
        f.write(data)
    out = os.path.join(work, "split")
    subprocess.run([tool("wasm_split_cli"), renamed_in, out], check=True)
    files = {}
    for name in sorted(os.listdir(out)):
        with open(os.path.join(out, name), "rb") as f:
            files[name] = f.read()
    for name, content in files.items():
        if not name.endswith(".wasm"):
            continue
        back, renamed = rename_import(content, MARKER_MODULE, MARKER_BEFORE, MARKER_NOW)
        if name != "main.wasm" and renamed:
            raise SystemExit(f"split_wasm: {name} calls wasm-bindgen's descriptor marker")
        files[name] = back
    return files


def bindgen(main_wasm: bytes, work: str) -> "tuple[str, bytes]":
    """wasm-bindgen on the main module: (glue JS, wasm)."""
    path = os.path.join(work, "main.wasm")
    with open(path, "wb") as f:
        f.write(main_wasm)
    out = os.path.join(work, "bindgen")
    subprocess.run([tool("wasm-bindgen"), path, "--target", "web", "--keep-lld-exports",
                    "--no-typescript", "--out-dir", out, "--out-name", APP], check=True)
    if os.path.exists(os.path.join(out, "snippets")):
        raise SystemExit("split_wasm: wasm-bindgen snippets are not supported here")
    with open(os.path.join(out, APP + ".js"), encoding="utf-8") as f:
        glue = f.read()
    with open(os.path.join(out, APP + "_bg.wasm"), "rb") as f:
        return glue, f.read()


def optimise(files: "dict[str, bytes]", level: str, params: "list[str]", work: str) -> "dict[str, bytes]":
    """wasm-opt on each file, two at a time. Each result is kept under the hash of its
    input and flags (a rebuild that changed one part optimises only what changed)."""
    if level in ("", "0"):
        return files
    cache = os.path.join(os.path.dirname(work), "wasm-opt-cache")
    os.makedirs(cache, exist_ok=True)
    wasm_opt = tool("wasm-opt")
    flags = [f"-O{level}", *params]

    def one(name: str) -> bytes:
        key = hashlib.sha256(files[name] + " ".join(flags).encode()).hexdigest()
        dst = os.path.join(cache, key + ".wasm")
        if not os.path.exists(dst):
            src = os.path.join(cache, key + ".in.wasm")
            with open(src, "wb") as f:
                f.write(files[name])
            subprocess.run([wasm_opt, *flags, src, "-o", dst + ".tmp"], check=True)
            os.replace(dst + ".tmp", dst)
            os.remove(src)
        with open(dst, "rb") as f:
            return f.read()

    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        done = dict(zip(files, pool.map(one, files)))
    return done


def minify(js: str, work: str, name: str) -> str:
    terser = tool("terser")
    path = os.path.join(work, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(js)
    subprocess.run([terser, path, "--module", "--compress", "--mangle", "-o", path], check=True)
    with open(path, encoding="utf-8") as f:
        return f.read()


LOADER = """
// OneBudget (scripts/split_wasm.py): the chunks' files and SHA-384 hashes are in a
// manifest, itself fetched with its hash as `integrity` the first time a part loads;
// each chunk is fetched with its own hash and read as bytes (any MIME type). An offline
// copy replaces `loadChunk`.
const manifestUrl = new URL(MANIFEST_FILE, import.meta.url);
let manifest;
function chunkManifest() {
    if (manifest === undefined) {
        manifest = fetch(manifestUrl, { integrity: MANIFEST_INTEGRITY }).then((response) => {
            if (!response.ok) throw new Error(`${manifestUrl}: ${response.status}`);
            return response.json();
        });
        manifest.catch(() => { manifest = undefined; });
    }
    return manifest;
}
let loadChunk = async (name) => {
    const chunk = (await chunkManifest()).chunks[name];
    const url = new URL(chunk.file, manifestUrl);
    const response = await fetch(url, { integrity: chunk.integrity });
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    return response.arrayBuffer();
};
function makeFetch(name) {
    if (name === undefined) {
        return () => async (_imports) => ({});
    }
    return () => {
        const bytes = loadChunk(name);
        return async (imports) => WebAssembly.instantiate(await bytes, imports);
    };
}
"""

OFFLINE_BOOT = """
// OneBudget offline copy: the wasm and its chunks are carried in this file as base64url.
function carried(element) {
    const binary = atob(element.textContent.trim().replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
}
loadChunk = async (name) => {
    const element = document.querySelector(`script[data-chunk="${name}"]`);
    if (!element) throw new Error(`${name} is not in this file`);
    return carried(element);
};
await __wbg_init({ module_or_path: carried(document.getElementById('onebudget-wasm')) });
"""


def rewrite_loader(loader: str, chunk_names: "list[str]", main_js: str, manifest: str,
                   manifest_integrity: str) -> str:
    """The CLI's loader with our fetch (the manifest, integrity, bytes), each chunk named
    by its key in the manifest, and the glue's name."""
    start = loader.index("function makeFetch(")
    end = min(i for i in (loader.find("\n/*", start), loader.find("\nconst __chunk", start),
                          loader.find("\nexport const", start)) if i >= 0)
    runtime = (LOADER.strip().replace("MANIFEST_FILE", json.dumps("./" + manifest))
               .replace("MANIFEST_INTEGRITY", json.dumps(manifest_integrity)))
    loader = loader[:start] + runtime + "\n" + loader[end + 1:]
    for name in chunk_names:
        before = f'new URL("./{name}.wasm", import.meta.url)'
        if before not in loader:
            raise SystemExit(f"split_wasm: the loader does not fetch {name}.wasm as expected")
        loader = loader.replace(before, json.dumps(name))
    if 'from "./main.js"' not in loader:
        raise SystemExit("split_wasm: the loader does not import ./main.js as expected")
    return loader.replace('from "./main.js"', f'from "./{main_js}"')


def offline_module(glue: str, loader: str) -> str:
    """The glue and the loader as one module with no imports or exports, booting from
    the page that carries the wasm (board::offline_page)."""
    # wasm-bindgen imports the loader once per function it takes from it.
    aliases = re.findall(r'^import \* as (\w+) from "\./__wasm_split\.js";?$', glue, re.M)
    if not aliases:
        raise SystemExit("split_wasm: the glue does not import the loader as expected")
    lines = []
    for line in glue.splitlines():
        stripped = line.lstrip()
        if stripped.startswith("import "):
            if re.match(r'import \* as \w+ from "\./__wasm_split\.js";?$', stripped):
                continue
            raise SystemExit(f"split_wasm: the glue imports another file: {stripped}")
        if stripped.startswith("export {") or stripped.startswith("export default "):
            continue
        if stripped.startswith("export "):
            line = line.replace("export ", "", 1)
        lines.append(line)
    loaders = re.findall(r"^export const (\w+) =", loader, re.M)
    body = []
    for line in loader.splitlines():
        if line.startswith("import "):
            continue
        body.append(line.replace("export const ", "const ", 1) if line.startswith("export const ") else line)
    namespace = f"{{ {', '.join(loaders)} }}"
    return ("\n".join(lines) + "\n" + "\n".join(body) + "\n"
            + "".join(f"const {alias} = {namespace};\n" for alias in aliases) + OFFLINE_BOOT)


def split(staging: str, html: str, release: bool, public_url: str, source_html: str) -> str:
    parts_css = os.path.join(staging, PARTS_CSS)
    meta = []
    if os.path.exists(parts_css):
        with open(parts_css, "rb") as f:
            css = f.read()
        css_name = f"onebudget-parts-{hashlib.sha256(css).hexdigest()[:16]}.css"
        os.replace(parts_css, os.path.join(staging, css_name))
        meta.append(f'data-css="{public_url}{css_name}" data-css-integrity="{sri(css)}"')

    if not release:
        # Not cut (build.rs): the parts are linked into Trunk's own build.
        if meta:
            html = _add_meta(html, f'<meta name="onebudget-app" {" ".join(meta)} />')
        return html

    level, passes = wasm_opt_settings(source_html)
    target = target_dir()
    cargo_wasm = os.path.join(target, "wasm32-unknown-unknown", "release", APP + ".wasm")
    work = os.path.join(target, "split-wasm", "release")

    # Trunk's output for the app: the glue and wasm that index.html names.
    old_js = re.search(r"(%s-[0-9a-f]+)\.js" % re.escape(APP), html)
    if not old_js:
        raise SystemExit("split_wasm: index.html does not name the app's glue")
    old = old_js.group(1)

    files = cut(cargo_wasm, work)
    glue, main_wasm = bindgen(files.pop("main.wasm"), work)
    loader = files.pop("__wasm_split.js").decode("utf-8")
    wasm = optimise({"main.wasm": main_wasm, **files}, level, passes, work)
    main_wasm = wasm.pop("main.wasm")

    # Chunks keyed by the CLI's names (split_<part>, chunk_<n>), files named by content.
    chunks = {}
    for name, data in wasm.items():
        key = name[:-len(".wasm")]
        stem = key.replace("split_", "").replace("_", "-")
        chunks[key] = (f"onebudget-{stem}-{hashlib.sha256(data).hexdigest()[:16]}.wasm", data)
    build_id = hashlib.sha256(glue.encode() + loader.encode() + main_wasm
                              + b"".join(d for _, d in chunks.values())).hexdigest()[:16]
    main_js = f"{APP}-{build_id}.js"
    main_wasm_name = f"{APP}-{build_id}_bg.wasm"
    loader_js = f"onebudget-split-{build_id}.js"
    if 'from "./__wasm_split.js"' not in glue:
        raise SystemExit("split_wasm: the glue does not import the loader as expected")
    glue_for_page = glue.replace('from "./__wasm_split.js"', f'from "./{loader_js}"')

    # The offline boot module is built from the loader before it knows the manifest's
    # hash (the manifest names the module; an offline copy never fetches the manifest).
    offline = minify(offline_module(glue, rewrite_loader(loader, list(chunks), main_js, "", "")),
                     work, "offline.js")
    offline_js = f"onebudget-offline-{hashlib.sha256(offline.encode()).hexdigest()[:16]}.js"
    manifest = json.dumps({
        "wasm": main_wasm_name,
        "offline": offline_js,
        "chunks": {key: {"file": file, "integrity": sri(data)} for key, (file, data) in chunks.items()},
    }, indent=1).encode()
    manifest_json = f"onebudget-chunks-{hashlib.sha256(manifest).hexdigest()[:16]}.json"
    # The glue and the loader are minified with the other modules (externalise_boot.py).
    loader = rewrite_loader(loader, list(chunks), main_js, manifest_json, sri(manifest))

    for name in (old + ".js", old + "_bg.wasm"):
        path = os.path.join(staging, name)
        if os.path.exists(path):
            os.remove(path)
    written = {main_js: glue_for_page.encode(), main_wasm_name: main_wasm,
               loader_js: loader.encode(), offline_js: offline.encode(), manifest_json: manifest}
    written.update({file: data for file, data in chunks.values()})
    for name, data in written.items():
        with open(os.path.join(staging, name), "wb") as f:
            f.write(data)

    # index.html: the new names, and each link's integrity for its new file.
    def relink(match: "re.Match[str]") -> str:
        tag = match.group(0)
        for suffix, name in ((".js", main_js), ("_bg.wasm", main_wasm_name)):
            if old + suffix in tag:
                tag = tag.replace(old + suffix, name)
                tag = re.sub(r"""integrity=("[^"]*"|'[^']*'|[^\s>]+)""",
                             f'integrity="{sri(written[name])}"', tag)
        return tag

    html = re.sub(r"<link\b[^>]*>", relink, html)
    html = html.replace(old + ".js", main_js).replace(old + "_bg.wasm", main_wasm_name)
    preload = (f'<link rel="modulepreload" href="{public_url}{loader_js}" '
               f'integrity="{sri(written[loader_js])}" crossorigin="anonymous">')
    at = html.lower().index("</head>")
    html = html[:at] + preload + html[at:]
    meta = [f'data-manifest="{public_url}{manifest_json}"'] + meta
    return _add_meta(html, f'<meta name="onebudget-app" {" ".join(meta)} />')


def _add_meta(html: str, tag: str) -> str:
    charset = re.search(r"<meta\s+charset=[^>]*>", html, re.I)
    at = charset.end() if charset else html.lower().index("<head>") + len("<head>")
    return html[:at] + tag + html[at:]


def main() -> int:
    staging = os.environ.get("TRUNK_STAGING_DIR")
    if not staging:
        print("split_wasm: TRUNK_STAGING_DIR is not set (run by trunk's post_build hook)", file=sys.stderr)
        return 1
    path = os.path.join(staging, "index.html")
    public_url = os.environ.get("TRUNK_PUBLIC_URL") or "./"
    if not public_url.endswith("/"):
        public_url += "/"
    with open(os.environ.get("TRUNK_HTML_FILE", os.path.join(ROOT, "index.html")), encoding="utf-8") as f:
        source_html = f.read()
    with open(path, encoding="utf-8") as f:
        html = f.read()
    html = split(staging, html, os.environ.get("TRUNK_PROFILE") == "release", public_url, source_html)
    with open(path, "w", encoding="utf-8") as f:
        f.write(html)
    return 0


if __name__ == "__main__":
    sys.exit(main())
