vcl 4.1;
# Varnish 7 in front of Kiosque nodes, purged by surrogate key with xkey (Debian:
# varnish and varnish-modules). Tested by crates/kiosque/tests/cli/nodes.rs, which
# puts its two nodes' ports in place of 8080 and 8081. Kiosque side:
#   [cdn] purge_keys = ["http://127.0.0.1:6081"]   (or KIOSQUE_PURGE_KEYS_URLS)
# Start: varnishd -a :6081 -f /etc/varnish/kiosque.vcl -s malloc,1g

import directors;
import xkey;

backend node_a {
    .host = "127.0.0.1";
    .port = "8080";
    .probe = { .url = "/readyz"; .interval = 2s; .timeout = 1s; .window = 3; .threshold = 2; }
}

backend node_b {
    .host = "127.0.0.1";
    .port = "8081";
    .probe = { .url = "/readyz"; .interval = 2s; .timeout = 1s; .window = 3; .threshold = 2; }
}

# Who may purge: the nodes.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_init {
    new nodes = directors.round_robin();
    nodes.add_backend(node_a);
    nodes.add_backend(node_b);
}

sub vcl_recv {
    set req.backend_hint = nodes.backend();

    # Kiosque sends PURGE / with "xkey-purge: article:12 home section:monde ...":
    # every page filed under one of those keys goes at once (a hard purge, so the
    # next reader gets the new page, not a stale one during grace).
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (req.http.xkey-purge) {
            set req.http.n-gone = xkey.purge(req.http.xkey-purge);
            return (synth(200, "Purged " + req.http.n-gone));
        }
        return (purge);
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The back office, the API and health checks are never kept.
    if (req.url ~ "^/(admin|api|healthz|readyz|metrics)(/|$|\?)") {
        return (pass);
    }
    # A reader or a journalist with a session always reaches a node: the pages they
    # see are their own (Kiosque marks them private, no-store, as well).
    if (req.http.Cookie ~ "(^|;\s*)(kq_reader|kq_session)=") {
        return (pass);
    }
    # No other cookie changes a public page: dropped, so one copy serves everyone.
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    # File the page under its surrogate keys (Kiosque's Surrogate-Key header).
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }
    # A response that sets a cookie belongs to one browser.
    if (beresp.http.Set-Cookie) {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # How long: Kiosque's s-maxage (10 s to 5 min; purges make changes show sooner);
    # grace: its stale-while-revalidate. Errors are not kept.
    if (beresp.status >= 500) {
        set beresp.ttl = 0s;
        set beresp.grace = 0s;
    }
}

sub vcl_deliver {
    unset resp.http.xkey;
    if (obj.uncacheable) {
        set resp.http.X-Cache-Status = "bypass";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache-Status = "hit";
    } else {
        set resp.http.X-Cache-Status = "miss";
    }
}
