#!/usr/bin/env python3
"""Kiosque newsroom benchmark: p50/p99 of an editor's save and of publish, on SQLite,
with 10,000 articles in the store, measured through the admin API on 127.0.0.1.

Usage: python3 bench/editor.py [--articles 10000] [--samples 300]
Also times the newsroom list (a section's drafts, 50 a page) and walking the whole
list 500 at a time with the cursor.
Needs the release binary (cargo build --release -p kiosque); honours CARGO_TARGET_DIR.
"""
import argparse, json, os, shutil, socket, statistics, subprocess, sys, tempfile, time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

parser = argparse.ArgumentParser()
parser.add_argument("--articles", type=int, default=10000)
parser.add_argument("--samples", type=int, default=300)
args = parser.parse_args()

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binary = os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(root, "target")), "release", "kiosque")
data = tempfile.mkdtemp(prefix="kiosque-bench-")
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
base = f"http://127.0.0.1:{port}"
env = dict(os.environ, KIOSQUE_LOG="warn")

def kiosque(*argv, stdin=None):
    return subprocess.run([binary, "--data", data, *argv], input=stdin, capture_output=True, text=True, env=env, check=True).stdout

kiosque("user", "create", "--email", "bench@example.org", "--name", "Bench", "--role", "editor", "--password-stdin", stdin="benchmark password\n")
token = kiosque("token", "create", "--email", "bench@example.org").strip()
server = subprocess.Popen([binary, "--data", data, "serve", "--listen", f"127.0.0.1:{port}"], env=env)

def call(method, path, body=None, headers=None):
    request = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode())
    request.add_header("Authorization", f"Bearer {token}")
    if body is not None:
        request.add_header("Content-Type", "application/json")
    for k, v in (headers or {}).items():
        request.add_header(k, v)
    start = time.perf_counter()
    with urllib.request.urlopen(request) as response:
        payload = json.loads(response.read() or b"null")
    return payload, (time.perf_counter() - start) * 1000

try:
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/healthz")
            break
        except OSError:
            time.sleep(0.05)
    body = "Un paragraphe de dépêche. " * 60
    sections = ["monde", "monde/europe", "politique", "economie", "culture", "sciences", "sport"]
    started = time.perf_counter()
    def create(i):
        payload, _ = call("POST", "/api/v1/articles", {"headline": f"Dépêche numéro {i}", "standfirst": "Chapô.", "body_markdown": body, "section": sections[i % len(sections)], "tags": ["Bench"], "agencies": ["AFP"]})
        return payload["id"]
    with ThreadPoolExecutor(4) as pool:
        ids = list(pool.map(create, range(args.articles)))
    seeded = time.perf_counter() - started

    saves = []
    for article_id in ids[: args.samples]:
        current, _ = call("GET", f"/api/v1/articles/{article_id}")
        _, ms = call("PATCH", f"/api/v1/articles/{article_id}", {"body_markdown": body + " Ajout."}, {"If-Match": str(current["revision"])})
        saves.append(ms)
    publishes = []
    for article_id in ids[args.samples : 2 * args.samples]:
        _, ms = call("POST", f"/api/v1/articles/{article_id}/publish")
        publishes.append(ms)

    lists = []
    for i in range(args.samples):
        section = sections[i % len(sections)]
        _, ms = call("GET", f"/api/v1/articles?status=draft&section={section}&limit=50")
        lists.append(ms)
    first, _ = call("GET", "/api/v1/articles?limit=500")
    deep = []
    cursor = first["next_cursor"]
    for _ in range(20):
        if not cursor:
            break
        page, ms = call("GET", f"/api/v1/articles?limit=500&cursor={cursor}")
        deep.append(ms)
        cursor = page["next_cursor"]

    def pct(values, p):
        values = sorted(values)
        return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]

    print(f"# Kiosque newsroom benchmark, {time.strftime('%Y-%m-%dT%H:%MZ', time.gmtime())}, SQLite, {args.articles} articles")
    print(f"seeding {args.articles} articles through the API (4 clients): {seeded:.1f} s ({args.articles / seeded:.0f} articles/s)")
    print(f"editor save (PATCH, If-Match, {len(saves)} samples): p50 {pct(saves, 50):.1f} ms, p99 {pct(saves, 99):.1f} ms")
    print(f"publish ({len(publishes)} samples): p50 {pct(publishes, 50):.1f} ms, p99 {pct(publishes, 99):.1f} ms")
    print(f"newsroom list, 50 drafts of a section ({len(lists)} samples): p50 {pct(lists, 50):.1f} ms, p99 {pct(lists, 99):.1f} ms")
    if deep:
        print(f"walking the list 500 at a time with the cursor ({len(deep)} pages): p50 {pct(deep, 50):.1f} ms a page")
finally:
    server.terminate()
    server.wait()
    shutil.rmtree(data, ignore_errors=True)
