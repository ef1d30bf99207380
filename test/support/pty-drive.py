"""Runs a command on a pseudo-terminal and answers its prompts, as a person at a keyboard would.

usage: pty-drive.py STEPS_JSON COMMAND [ARGS...]
STEPS_JSON is a list of [text to wait for, keys to type]. Prints everything the terminal showed
and exits with the command's exit code. Each wait gives up after 30 seconds.
"""
import json, os, pty, select, sys, time

steps = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])

seen = b""

def read_some(timeout):
    global seen
    ready, _, _ = select.select([fd], [], [], timeout)
    if not ready:
        return True
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        return False
    if not chunk:
        return False
    seen += chunk
    return True

position = 0  # each wait looks only at what came after the previous match
for expected, keys in steps:
    deadline = time.time() + 30
    while seen.find(expected.encode(), position) < 0:
        if time.time() > deadline or not read_some(0.2):
            sys.stdout.write(seen.decode(errors="replace"))
            sys.stdout.write(f"\n[pty-drive] gave up waiting for {expected!r}\n")
            os.kill(pid, 9)
            sys.exit(99)
    position = seen.find(expected.encode(), position) + len(expected)
    time.sleep(0.1)  # let the prompt finish drawing before typing
    os.write(fd, keys.encode())

while read_some(60):
    pass
_, status = os.waitpid(pid, 0)
sys.stdout.write(seen.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(status))
