#!/usr/bin/env python3
"""Trunk post_build hook: make dist/index.html work under a strict Content-Security-Policy.

Trunk writes an inline <script type="module"> that boots the wasm; a policy without
'unsafe-inline' blocks it. This moves every inline script into its own file named by
its content hash, referenced with Subresource Integrity, then adds the policy as a
<meta http-equiv="Content-Security-Policy"> first thing in <head>, and the host
script's (embed.js) SRI hash as <meta name="onebudget-embed-integrity"> for the
"Embed this" panel. Runs after scripts/split_wasm.py (one hook, Trunk.toml). Trunk's own
tags (stylesheet, modulepreload, wasm preload, worker links) are left exactly as they
are, except that a release build's JavaScript modules (the wasm-bindgen glue and the
chunk loader), which Trunk's minifier cannot parse, are minified with terser and their
modulepreload links given the new hashes. Works on $TRUNK_STAGING_DIR/index.html, or on
the file given as the first argument.
"""
import base64
import hashlib
import os
import re
import shutil
import subprocess
import sys

# 'wasm-unsafe-eval' lets WebAssembly compile; nothing else is relaxed. A meta tag
# cannot carry frame-ancestors (hosts send it as a header: see README.md).
CSP = (
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; worker-src 'self'; font-src 'self'; "
    "manifest-src 'self'; base-uri 'none'; form-action 'none'"
)
SERVE_PLACEHOLDERS = {
    "'{{__TRUNK_ADDRESS__}}'": "window.location.host",
    "'{{__TRUNK_WS_BASE__}}'": "new URL('.', window.location.href).pathname",
}
EXECUTABLE_TYPES = {"", "module", "text/javascript", "application/javascript"}
SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script\s*>", re.S | re.I)
TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]*)""", re.I)


def sri(data: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode("ascii")


def externalise(html: str, directory: str, public_url: str) -> str:
    def replace(match: "re.Match[str]") -> str:
        attrs, body = match.group("attrs"), match.group("body")
        if re.search(r"\bsrc\s*=", attrs, re.I):
            return match.group(0)
        kind = TYPE.search(attrs)
        if (kind.group(1).lower() if kind else "") not in EXECUTABLE_TYPES:
            return match.group(0)  # data blocks (JSON) are not run, so CSP allows them
        # `trunk serve` fills these placeholders in index.html as it serves it, which it
        # cannot do once the script is a file of its own: read them from the page instead.
        for placeholder, value in SERVE_PLACEHOLDERS.items():
            body = body.replace(placeholder, value)
        data = body.strip().encode("utf-8") + b"\n"
        name = "boot-" + hashlib.sha256(data).hexdigest()[:16] + ".js"
        with open(os.path.join(directory, name), "wb") as out:
            out.write(data)
        return (
            f'<script{attrs} src="{public_url}{name}" integrity="{sri(data)}" '
            f'crossorigin="anonymous"></script>'
        )

    return SCRIPT.sub(replace, html)


LINK = re.compile(r"<link\b[^>]*>", re.I)
INTEGRITY = re.compile(r"""\bintegrity\s*=\s*["']?sha384-[A-Za-z0-9+/=]+["']?""", re.I)
HREF = re.compile(r"""\bhref\s*=\s*["']?([^"'\s>]+)""", re.I)


def terser() -> "str | None":
    here = os.path.dirname(os.path.abspath(__file__))
    local = os.path.join(here, "..", "node_modules", ".bin", "terser")
    return local if os.path.exists(local) else shutil.which("terser")


def minify_module_glue(html: str, directory: str) -> str:
    """Minify the app's JavaScript modules (Trunk's own minifier cannot parse
    `export { x as default }` and leaves the wasm-bindgen glue whole) and give each
    modulepreload link the new file's SRI hash."""
    tool = terser()
    if tool is None:
        print("externalise_boot: terser not found (npm ci installs it); the JS stays unminified",
              file=sys.stderr)
        return html

    def replace(match: "re.Match[str]") -> str:
        tag = match.group(0)
        href = HREF.search(tag)
        if "modulepreload" not in tag or not href or not href.group(1).endswith(".js"):
            return tag
        path = os.path.join(directory, os.path.basename(href.group(1)))
        subprocess.run([tool, path, "--module", "--compress", "--mangle", "-o", path], check=True)
        with open(path, "rb") as f:
            data = f.read()
        return INTEGRITY.sub(f'integrity="{sri(data)}"', tag)

    return LINK.sub(replace, html)


def add_meta(html: str, directory: str, public_url: str = "./") -> str:
    tags = []
    if "Content-Security-Policy" not in html:
        tags.append(f'<meta http-equiv="Content-Security-Policy" content="{CSP}" />')
    host_script = os.path.join(directory, "embed.js")
    if os.path.exists(host_script) and "onebudget-embed-integrity" not in html:
        with open(host_script, "rb") as f:
            tags.append(f'<meta name="onebudget-embed-integrity" content="{sri(f.read())}" />')
    if not tags:
        return html
    # Right after <meta charset>, before anything the policy must govern.
    charset = re.search(r"<meta\s+charset=[^>]*>", html, re.I)
    at = charset.end() if charset else html.lower().index("<head>") + len("<head>")
    return html[:at] + "\n    " + "\n    ".join(tags) + html[at:]


def main() -> int:
    if len(sys.argv) > 1:
        path = sys.argv[1]
    else:
        staging = os.environ.get("TRUNK_STAGING_DIR")
        if not staging:
            print("externalise_boot: TRUNK_STAGING_DIR is not set", file=sys.stderr)
            return 1
        path = os.path.join(staging, "index.html")
    directory = os.path.dirname(os.path.abspath(path))
    public_url = os.environ.get("TRUNK_PUBLIC_URL") or "./"
    if not public_url.endswith("/"):
        public_url += "/"
    with open(path, encoding="utf-8") as f:
        html = f.read()
    html = add_meta(externalise(html, directory, public_url), directory, public_url)
    if os.environ.get("TRUNK_PROFILE") == "release":
        html = minify_module_glue(html, directory)
    if re.search(r"<style[\s>]|\sstyle\s*=", html, re.I):
        print("externalise_boot: index.html has inline style, which the CSP blocks", file=sys.stderr)
        return 1
    with open(path, "w", encoding="utf-8") as f:
        f.write(html)
    return 0


if __name__ == "__main__":
    sys.exit(main())
