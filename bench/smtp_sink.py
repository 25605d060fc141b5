"""A minimal SMTP server for the newsletter benchmark: answers every command, keeps
nothing but counts, the first message's size and the arrival times (a real MTA's
queue would be slower: this measures Kiosque, not a mail server). Written here for
the benchmark; the tests use aiosmtpd.

usage: smtp_sink.py PORT STATS_FILE
"""
import asyncio, json, sys, time

port, stats_path = int(sys.argv[1]), sys.argv[2]
stats = {"messages": 0, "first_at": None, "last_at": None, "first_size": None, "recipients": 0}


async def session(reader, writer):
    write = writer.write
    write(b"220 sink ESMTP\r\n")
    while True:
        line = await reader.readline()
        if not line:
            break
        cmd = line[:4].upper()
        if cmd in (b"EHLO",):
            write(b"250-sink\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SIZE 52428800\r\n")
        elif cmd == b"HELO":
            write(b"250 sink\r\n")
        elif cmd == b"RCPT":
            stats["recipients"] += 1
            write(b"250 OK\r\n")
        elif cmd == b"DATA":
            write(b"354 go ahead\r\n")
            await writer.drain()
            try:
                size = len(await reader.readuntil(b"\r\n.\r\n")) - 5
            except asyncio.IncompleteReadError:
                break
            now = time.time()
            stats["messages"] += 1
            if stats["first_at"] is None:
                stats["first_at"], stats["first_size"] = now, size
            stats["last_at"] = now
            write(b"250 OK queued\r\n")
        elif cmd == b"QUIT":
            write(b"221 bye\r\n")
            await writer.drain()
            break
        else:  # MAIL, RSET, NOOP
            write(b"250 OK\r\n")
        await writer.drain()
    writer.close()


async def dump():
    while True:
        await asyncio.sleep(0.2)
        with open(stats_path + ".tmp", "w") as f:
            json.dump(stats, f)
        import os
        os.replace(stats_path + ".tmp", stats_path)


async def main():
    server = await asyncio.start_server(session, "127.0.0.1", port, backlog=512, limit=1 << 24)
    asyncio.get_running_loop().create_task(dump())
    async with server:
        await server.serve_forever()

try:
    import uvloop
    uvloop.install()
except ImportError:
    pass
asyncio.run(main())
