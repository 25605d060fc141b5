"""Live coverage and push alerts, measured against a running release build.

Usage: python3 bench/live.py BASE_URL TOKEN DB_PATH PUSH_STUB_URL [SUBSCRIPTIONS]

1. Entry posting rate: 8 journalists' worth of threads post 1,000 entries at once
   through the API; every entry must come back once (GET, cursor walk).
2. First page of a live with 1,000 entries, rendered on every request (a cookie
   keeps the page cache out): median and p99 over 300 requests on one keep-alive
   connection (client time included, so an upper bound).
3. Post to public page: an entry posted, then the cached page (no cookie) polled
   until it shows it.
4. Push fan-out: SUBSCRIPTIONS (100,000) subscriptions written into the database,
   pointing at PUSH_STUB_URL (nginx answering 201), one alert sent through the API,
   and the time until the worker has sent it to all of them.
"""
import base64, concurrent.futures, http.client, json, os, sqlite3, sys, time, urllib.parse, urllib.request

base, token, db_path, stub = sys.argv[1:5]
subscriptions = int(sys.argv[5]) if len(sys.argv) > 5 else 100_000
host = urllib.parse.urlparse(base)


def api(method, path, body=None, headers=None):
    req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode())
    req.add_header("Authorization", "Bearer " + token)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    with urllib.request.urlopen(req) as r:
        data = r.read()
        return r.status, json.loads(data) if data else None


status, created = api("POST", "/api/v1/articles", {
    "headline": "DIRECT. Banc d'essai du direct", "section": "monde", "kind": "live",
    "body_markdown": "- Mille entrées\n- Huit journalistes"})
live = created["id"]
api("POST", f"/api/v1/articles/{live}/publish", {})

# 1. 1,000 entries from 8 threads at once.
def post(n):
    conn = http.client.HTTPConnection(host.hostname, host.port)
    ids = []
    for k in range(n):
        body = json.dumps({"body_markdown": f"Entrée {k} : **la Loire** monte encore de quelques centimètres.", "key_event": k % 50 == 0})
        conn.request("POST", f"/api/v1/articles/{live}/entries", body, {"Authorization": "Bearer " + token, "Content-Type": "application/json"})
        r = conn.getresponse()
        payload = json.loads(r.read())
        assert r.status == 201, payload
        ids.append(payload["id"])
    return ids

start = time.perf_counter()
with concurrent.futures.ThreadPoolExecutor(8) as pool:
    posted = [i for ids in pool.map(post, [125] * 8) for i in ids]
elapsed = time.perf_counter() - start
seen, cursor = [], ""
while True:
    _, page = api("GET", f"/api/v1/articles/{live}/entries?limit=100&cursor={cursor}")
    seen += [e["id"] for e in page["items"]]
    if not page.get("next_cursor"):
        break
    cursor = page["next_cursor"]
assert sorted(seen) == sorted(posted) and len(set(seen)) == 1000, (len(seen), len(set(seen)))
print(f"| entries posted by 8 writers at once | 1,000 in {elapsed:.2f} s: **{1000 / elapsed:,.0f} entries/s**, none lost or doubled |")

# 2. The first page, rendered each time.
_, article = api("GET", f"/api/v1/articles/{live}")
path = urllib.parse.urlparse(article["url"]).path
conn = http.client.HTTPConnection(host.hostname, host.port)
times = []
for i in range(320):
    t = time.perf_counter()
    conn.request("GET", path, headers={"Cookie": "bench=1"})
    r = conn.getresponse()
    body = r.read()
    if i >= 20:
        times.append((time.perf_counter() - t) * 1000)
    assert r.status == 200 and r.headers.get("x-cache") != "hit", (r.status, r.headers.get("x-cache"))
assert body.count(b'<li class="live-entry') >= 20
times.sort()
print(f"| first page of a live with 1,000 entries, rendered each request | median {times[len(times) // 2]:.2f} ms, p99 {times[int(len(times) * 0.99)]:.2f} ms ({len(body) // 1024} kB) |")

# 3. From a post to the public (cached) page.
conn.request("GET", path)
conn.getresponse().read()
marker = f"Marqueur {time.time_ns()}"
t = time.perf_counter()
api("POST", f"/api/v1/articles/{live}/entries", {"body_markdown": marker})
while True:
    conn.request("GET", path)
    if marker.encode() in conn.getresponse().read():
        break
print(f"| an entry on the cached public page after posting | {(time.perf_counter() - t) * 1000:.0f} ms |")

# 4. Push fan-out.
key_pair = None
p256dh = base64.urlsafe_b64encode(bytes([4]) + os.urandom(64)).rstrip(b"=").decode()
try:
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives import serialization
    key_pair = ec.generate_private_key(ec.SECP256R1())
    p256dh = base64.urlsafe_b64encode(key_pair.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)).rstrip(b"=").decode()
except ImportError:
    sys.exit("the push benchmark needs `cryptography` (a real P-256 key for the subscriptions)")
auth = base64.urlsafe_b64encode(os.urandom(16)).rstrip(b"=").decode()
db = sqlite3.connect(db_path, timeout=30)
now = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())
with db:
    cur = db.execute("SELECT COALESCE(MAX(id), 0) FROM push_subscriptions")
    first = cur.fetchone()[0] + 1
    db.executemany("INSERT INTO push_subscriptions (id, endpoint, p256dh, auth, created_at) VALUES (?, ?, ?, ?, ?)",
                   ((first + i, f"{stub}/push/{first + i}", p256dh, auth, now) for i in range(subscriptions)))
    db.executemany("INSERT INTO push_subscription_topics (subscription_id, topic) VALUES (?, 'alertes')",
                   ((first + i,) for i in range(subscriptions)))
db.close()
t = time.perf_counter()
_, alert = api("POST", "/api/v1/alerts", {"title": "Banc d'essai", "body": "Une alerte à tous les abonnés.", "url": "/", "topics": ["alertes"]})
assert alert["recipients"] >= subscriptions, alert
while True:
    _, alerts = api("GET", "/api/v1/alerts")
    a = next(x for x in alerts["items"] if x["id"] == alert["id"])
    if a["sent"] + a["failed"] + a["dropped"] >= a["recipients"]:
        break
    time.sleep(0.2)
elapsed = time.perf_counter() - t
print(f"| push alert fanned out to {subscriptions:,} subscriptions (nginx answering 201) | {elapsed:.1f} s: **{a['sent'] / elapsed:,.0f} pushes/s** (sent {a['sent']:,}, retried {a['retried']}, failed {a['failed']}) |")
