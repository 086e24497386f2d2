#!/usr/bin/env python3
# Eight IMAP clients fetch one 50 MB message at once from a running Letterbox (the distribution: bin/letterbox serve,
# with you@example.test / secret-pw added); prints whether every copy is byte-exact and the server's peak RSS.
# Usage: test-support/big-fetch.py SERVER_PID
import imaplib, threading, time, subprocess, sys
pid = sys.argv[1]
size = 50*1024*1024
line = b"x"*76 + b"\r\n"
msg = b"From: you@example.test\r\nSubject: big\r\n\r\n" + line*((size-40)//78)
m = imaplib.IMAP4("127.0.0.1", 1143); m.login("you@example.test", "secret-pw")
t=time.time(); print("append", m.append("INBOX", None, None, msg)[0], round(time.time()-t,1), "s", len(msg), "bytes"); m.logout()
peak = [0]
def rss():
    return int(open(f"/proc/{pid}/status").read().split("VmRSS:")[1].split()[0])//1024
stop = False
def watch():
    while not stop:
        peak[0] = max(peak[0], rss()); time.sleep(0.05)
w = threading.Thread(target=watch); w.start()
ok = []
def fetch(i):
    c = imaplib.IMAP4("127.0.0.1", 1143); c.login("you@example.test", "secret-pw"); c.select("INBOX", readonly=True)
    typ, data = c.fetch("1", "(BODY.PEEK[])")
    ok.append(typ == "OK" and data[0][1] == msg); c.logout()
print("rss before", rss(), "MB")
t=time.time(); ts=[threading.Thread(target=fetch, args=(i,)) for i in range(8)]
[x.start() for x in ts]; [x.join() for x in ts]
stop=True; w.join()
print("8 fetches:", ok.count(True), "of 8 byte-exact in", round(time.time()-t,1), "s; peak RSS", peak[0], "MB; after", rss(), "MB")
