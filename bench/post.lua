-- wrk script: comment posts by logged-in readers, used by run.sh and comments.sh.
-- Environment: KQ_CREDS (a file of "session-token csrf-token" lines), KQ_THREAD (the
-- thread's path, /commentaires/ID), KQ_RUN (a nonce making each run's texts new).
local creds = {}
local counter = 0
local path = os.getenv("KQ_THREAD")
local run = os.getenv("KQ_RUN") or "0"
-- `me` is a global that setup() gives each thread (a local would hide it).
me = 0
local threads = 0
function setup(thread)
  thread:set("me", threads)
  threads = threads + 1
end
function init(args)
  local i = 0
  for line in io.lines(os.getenv("KQ_CREDS")) do
    -- Each wrk thread takes its own half of the accounts (per-account limits).
    if i % 2 == me then
      local token, csrf = line:match("(%x+) (%x+)")
      creds[#creds + 1] = { token, csrf }
    end
    i = i + 1
  end
  math.randomseed(os.time() + me)
end
function request()
  counter = counter + 1
  local c = creds[(counter % #creds) + 1]
  local ip = "10." .. me .. "." .. math.random(0, 255) .. "." .. math.random(1, 254)
  -- A text of its own each time (this run, this thread, this request): the
  -- repeated-post rule stays on and must not be what is measured.
  local body = "csrf=" .. c[2] .. "&body=Commentaire+de+charge+run" .. run .. "+t" .. me .. "n" .. counter
  return wrk.format("POST", path, {
    ["Cookie"] = "kq_reader=" .. c[1],
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Sec-Fetch-Site"] = "same-origin",
    ["X-Forwarded-For"] = ip,
  }, body)
end
