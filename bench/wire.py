#!/usr/bin/env python3
"""Kiosque wire ingest benchmark, on SQLite, on 127.0.0.1.

1. Generates --items original NewsML-G2 text items (one file each, varied lengths,
   urgencies and subjects) in a temporary folder.
2. `kiosque ingest FOLDER` on a new data directory: items/s as the command reports it,
   and wall time.
3. The same count pushed to `POST /api/v1/wire` by 4 keep-alive clients: items/s,
   p50/p99 latency.
4. The folder ingested again: every item a duplicate.

Usage: python3 bench/wire.py [--items 10000]
Needs the release binary (cargo build --release -p kiosque); honours CARGO_TARGET_DIR.
"""
import argparse, http.client, os, random, shutil, socket, statistics, subprocess, tempfile, time
from concurrent.futures import ThreadPoolExecutor

parser = argparse.ArgumentParser()
parser.add_argument("--items", type=int, default=10000)
args = parser.parse_args()

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binary = os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(root, "target")), "release", "kiosque")
work = tempfile.mkdtemp(prefix="kiosque-wire-")
env = dict(os.environ, KIOSQUE_LOG="warn")
rng = random.Random(7)
WORDS = ("gouvernement réforme budget séisme élection marché récolte tempête sommet accord "
         "grève tribunal stade record hôpital école port frontière crue incendie").split()
SUBJECTS = [("medtop:04000000", "économie"), ("medtop:11000000", "politique"),
            ("medtop:06000000", "environnement"), ("medtop:15000000", "sport")]

def item(n, version=1):
    words = lambda k: " ".join(rng.choice(WORDS) for _ in range(k))
    paragraphs = "".join(f"<p>{words(rng.randint(20, 60)).capitalize()}.</p>" for _ in range(rng.randint(3, 15)))
    code, name = rng.choice(SUBJECTS)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:bench:{n}" version="{version}" standard="NewsML-G2" standardversion="2.35" xml:lang="fr">
  <rightsInfo><copyrightHolder literal="Agence Bench"/></rightsInfo>
  <itemMeta><itemClass qcode="ninat:text"/><provider literal="BENCH"/><versionCreated>2026-11-27T10:00:00Z</versionCreated><pubStatus qcode="stat:usable"/></itemMeta>
  <contentMeta><urgency>{rng.randint(1, 8)}</urgency><language tag="fr"/><subject qcode="{code}"><name>{name}</name></subject>
    <headline>{words(8).capitalize()} {n}</headline><description role="drol:summary">{words(25).capitalize()}.</description></contentMeta>
  <contentSet><inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title></head><body>{paragraphs}<h2>{words(4)}</h2>{paragraphs}</body></html></inlineXML></contentSet>
</newsItem>"""

folder = os.path.join(work, "in")
os.makedirs(folder)
docs = []
for n in range(args.items):
    doc = item(n)
    docs.append(doc)
    with open(os.path.join(folder, f"{n:06d}.xml"), "w") as f:
        f.write(doc)
size = sum(len(d) for d in docs)
print(f"# Kiosque wire ingest benchmark, {time.strftime('%Y-%m-%dT%H:%MZ', time.gmtime())}, {os.cpu_count()} cores")
print(f"{args.items} NewsML-G2 items, {size / args.items / 1024:.1f} kB on average")

def ingest(data):
    start = time.perf_counter()
    out = subprocess.run([binary, "--data", data, "ingest", folder], capture_output=True, text=True, env=env, check=True).stdout
    return time.perf_counter() - start, out.strip().splitlines()[-1]

data = os.path.join(work, "cli")
subprocess.run([binary, "--data", data, "migrate"], env=env, check=True, capture_output=True)
wall, summary = ingest(data)
print(f"kiosque ingest (SQLite): {args.items / wall:.0f} items/s wall ({wall:.1f} s, process start included); {summary}")
wall, summary = ingest(data)
print(f"kiosque ingest again (all duplicates): {args.items / wall:.0f} items/s wall; {summary}")

# HTTP push.
data = os.path.join(work, "http")
def kiosque(*argv, stdin=None):
    return subprocess.run([binary, "--data", data, *argv], input=stdin, capture_output=True, text=True, env=env, check=True).stdout
kiosque("user", "create", "--email", "wire@example.org", "--name", "Wire", "--role", "editor", "--password-stdin", stdin="benchmark password\n")
token = kiosque("token", "create", "--email", "wire@example.org").strip()
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
server = subprocess.Popen([binary, "--data", data, "serve", "--listen", f"127.0.0.1:{port}"], env=env)
try:
    for _ in range(400):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.025)
    def worker(chunk):
        conn = http.client.HTTPConnection("127.0.0.1", port)
        latencies = []
        for doc in chunk:
            t = time.perf_counter()
            conn.request("POST", "/api/v1/wire", body=doc.encode(), headers={"Authorization": f"Bearer {token}", "Content-Type": "application/xml"})
            response = conn.getresponse()
            response.read()
            assert response.status == 202, response.status
            latencies.append((time.perf_counter() - t) * 1000)
        return latencies
    start = time.perf_counter()
    with ThreadPoolExecutor(4) as pool:
        latencies = [l for part in pool.map(worker, [docs[i::4] for i in range(4)]) for l in part]
    wall = time.perf_counter() - start
    latencies.sort()
    q = lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))]
    print(f"POST /api/v1/wire (SQLite, 4 clients): {args.items / wall:.0f} items/s, p50 {q(0.5):.1f} ms, p99 {q(0.99):.1f} ms")
finally:
    server.terminate()
    server.wait()
    shutil.rmtree(work, ignore_errors=True)
