import os
import signal

signal.signal(signal.SIGINT, signal.SIG_IGN)
try:
    pid = os.posix_spawn(
        "/bin/sh",
        ["sh", "-c", "read -r p c s pp pg sid rest < /proc/$$/stat; [ $sid = $$ ] && echo session leader; m=$(sed -n 's/^SigIgn:[[:space:]]*//p' /proc/$$/status); echo ignored: $(( 0x$m & 0x2 ))"],
        os.environ,
        setsid=True,
        setsigdef=(signal.SIGINT,),
    )
except OSError:
    pid = -1
if pid < 0:
    raise SystemExit(1)
_, status = os.waitpid(pid, 0)
print("status", os.waitstatus_to_exitcode(status))
