"""Newsletter sending and webhook latency, measured against a running release build.

Usage: python3 bench/newsletters.py BASE_URL TOKEN DB_PATH SMTP_STATS RECIPIENTS HOOK_PORT

1. RECIPIENTS confirmed subscribers are written into the database (the subscription
   path is the tests' business), an edition of five demo articles is composed and
   sent through the API, and the SMTP sink's counts give the mails per second from
   the first to the last message (and from the API call to the last).
2. A webhook receiver on HOOK_PORT; articles published through the API; the time
   from the publish call to the signed delivery's arrival.
"""
import http.server, json, sqlite3, statistics, sys, threading, time, urllib.request

base, token, db_path, smtp_stats, recipients, hook_port = sys.argv[1:7]
connections = sys.argv[7] if len(sys.argv) > 7 else "16"
recipients, hook_port = int(recipients), int(hook_port)


def api(method, path, body=None):
    req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode())
    req.add_header("Authorization", "Bearer " + token)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req) as r:
        data = r.read()
        return r.status, json.loads(data) if data else None


_, newsletters = api("GET", "/api/v1/newsletters")
newsletter = newsletters["items"][0]["id"]
db = sqlite3.connect(db_path, timeout=30)
stamp = db.execute("SELECT created_at FROM newsletters WHERE id = ?", (newsletter,)).fetchone()[0]
db.executemany(
    "INSERT INTO newsletter_subscriptions (newsletter_id, email, state, consent_at, consent_method, created_at, confirmed_at) VALUES (?, ?, 'confirmed', ?, 'bench', ?, ?)",
    ((newsletter, f"lecteur{i}@example.org", stamp, stamp, stamp) for i in range(recipients)),
)
db.commit()
articles = [r[0] for r in db.execute("SELECT id FROM articles WHERE status = 'published' ORDER BY published_at DESC LIMIT 5")]
_, edition = api("POST", f"/api/v1/newsletters/{newsletter}/editions", {
    "subject": "Le Matin du banc d'essai",
    "intro_markdown": "Bonjour, voici **l'essentiel** de ce matin.",
    "articles": articles,
})
started = time.time()
api("POST", f"/api/v1/newsletters/{newsletter}/editions/{edition['id']}/send")
stats = {}
deadline = started + 900
while time.time() < deadline:
    try:
        stats = json.load(open(smtp_stats))
    except (OSError, ValueError):
        pass
    if stats.get("messages", 0) >= recipients:
        break
    time.sleep(0.2)
_, counts = api("GET", f"/api/v1/newsletters/{newsletter}/editions/{edition['id']}")
for _ in range(50):
    if counts["state"] == "sent":
        break
    time.sleep(0.2)
    _, counts = api("GET", f"/api/v1/newsletters/{newsletter}/editions/{edition['id']}")
html, text = db.execute("SELECT length(html), length(text) FROM newsletter_editions WHERE id = ?", (edition["id"],)).fetchone()
span = stats["last_at"] - stats["first_at"]
print(f"| edition sent to {recipients:,} confirmed subscribers (SMTP sink, {connections} pooled connections) | **{recipients / span:,.0f} mails/s** from the first to the last ({span:.1f} s); {stats['last_at'] - started:.1f} s from the API call to the last |")
print(f"| mails the sink received / recorded as sent | {stats['messages']:,} / {counts['sent']:,} (state `{counts['state']}`) |")
print(f"| the edition (5 articles with pictures) | HTML part {html:,} bytes, text part {text:,} bytes, whole message {stats['first_size']:,} bytes |")

# Webhook latency.
arrivals = {}


class Hook(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        at = time.time()
        headline = json.loads(body)["data"]["headlines"][0]["value"]
        arrivals[headline] = at
        self.send_response(204)
        self.end_headers()


server = http.server.ThreadingHTTPServer(("127.0.0.1", hook_port), Hook)
threading.Thread(target=server.serve_forever, daemon=True).start()
api("POST", "/api/v1/webhooks", {"url": f"http://127.0.0.1:{hook_port}/hook", "events": ["article.published"]})
latencies = []
for i in range(10):
    headline = f"Dépêche de banc numéro {i}"
    _, a = api("POST", "/api/v1/articles", {"headline": headline, "section": "monde", "body_markdown": "Un paragraphe."})
    t0 = time.time()
    api("POST", f"/api/v1/articles/{a['id']}/publish", {})
    while headline not in arrivals and time.time() < t0 + 30:
        time.sleep(0.001)
    latencies.append((arrivals[headline] - t0) * 1000)
print(f"| webhook delivery after a publication (publish call to signed delivery received, 10 articles) | median **{statistics.median(latencies):.0f} ms**, max {max(latencies):.0f} ms |")
