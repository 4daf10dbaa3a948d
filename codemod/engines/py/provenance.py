"""What the code before vfork proves about the descriptors a Python child uses.

A failing ``os.pipe()`` or ``os.open()`` raises, so a descriptor bound by
one of them in the same scope, on the way to the vfork, is open at the
vfork, unless something between might close or rebind it: another mention
of the name (``os.set_inheritable(fd, True)`` only changes close-on-exec),
a call the tool does not know, or a loop around the vfork that the
creation is outside of.  Descriptors Python creates are non-inheritable
(close-on-exec) by default (PEP 446).
"""
from __future__ import annotations

import libcst as cst

from codemod.engines.proofs.descriptors import Origin
from codemod.engines.py import calls
from codemod.engines.py.sites import Module, any_node

# Calls known to leave the parent's descriptors alone: handle construction
# and lookups commonly found between os.pipe() and the vfork.
_HARMLESS = {
    "ctypes.CDLL", "ctypes.PyDLL", "ctypes.cdll.LoadLibrary", "ctypes.pydll.LoadLibrary",
    "ctypes.util.find_library", "ctypes.get_errno", "ctypes.set_errno", "ctypes.c_int", "ctypes.c_char_p",
    "builtins.print", "sys.stdout.flush", "sys.stderr.flush", "sys.stdout.write", "sys.stderr.write",
    "tempfile.mkdtemp", "os.getcwd",
}
_CLOSERS = {"os.close", "os.closerange", "os.dup2", "os.fdopen", "builtins.open"}


def origins(mod: Module, site, wanted: set) -> tuple:
    """(text, Origin) pairs for the names in ``wanted`` (``r``, ``fds[1]``)
    that are provably open descriptors at the vfork."""
    if not wanted:
        return ()
    found = {}
    node = site.anchor
    loops_between = []
    while node is not None:
        parent = mod.parent(node)
        if parent is None:
            break
        if isinstance(parent, (cst.For, cst.While)):
            loops_between.append(parent)
        body = _body_of(parent)
        if body is not None and any(s is node for s in body):
            idx = next(i for i, s in enumerate(body) if s is node)
            for pos in range(idx - 1, -1, -1):
                for key, origin in _created(mod, body[pos]).items():
                    if key in wanted and key not in found:
                        base = key.split("[")[0]
                        later = body[pos + 1: idx]
                        cloexec = _between(mod, later, base, origin.cloexec)
                        # A loop around the vfork that starts after the creation may
                        # come back to it with the descriptor closed.
                        if cloexec != "invalid" and not loops_between:
                            found[key] = Origin(cloexec, origin.line, origin.how)
                        else:
                            found[key] = None
        if isinstance(parent, (cst.FunctionDef, cst.Module)):
            break
        node = parent
    return tuple(sorted((k, v) for k, v in found.items() if v is not None))


def _body_of(node):
    if isinstance(node, cst.Module):
        return list(node.body)
    if isinstance(node, cst.IndentedBlock):
        return list(node.body)
    return None


def _created(mod: Module, stmt) -> dict:
    """Descriptor names a statement binds: `r, w = os.pipe()`, `fd = os.open(...)`."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return {}
    small = stmt.body[0]
    if not isinstance(small, cst.Assign) or len(small.targets) != 1 or not isinstance(small.value, cst.Call):
        return {}
    q = mod.qualified(small.value.func)
    target = small.targets[0].target
    how = mod.code(small.value)
    line = mod.line(stmt)
    if q & {"os.pipe", "os.pipe2"}:
        cloexec = True
        if "os.pipe2" in q:
            flags = mod.code(small.value.args[0].value) if small.value.args else ""
            cloexec = "O_CLOEXEC" in flags if all(w.startswith(("os.O_", "O_")) or w.isdigit()
                                                 for w in flags.replace("|", " ").split()) else None
        if isinstance(target, cst.Tuple) and len(target.elements) == 2 and all(
                isinstance(e.value, cst.Name) for e in target.elements):
            return {e.value.value: Origin(cloexec, line, how) for e in target.elements}
        if isinstance(target, cst.Name):
            return {f"{target.value}[{i}]": Origin(cloexec, line, how) for i in (0, 1)}
        return {}
    if q & {"os.open", "os.dup"} and isinstance(target, cst.Name):
        return {target.value: Origin(True, line, how)}
    return {}


def _between(mod: Module, stmts: list, base: str, cloexec):
    """Close-on-exec after ``stmts``, or "invalid" if they may close or rebind ``base``."""
    state = [cloexec]
    bad = []

    def check(n) -> bool:
        if isinstance(n, cst.Name) and n.value == base:
            parent = mod.parent(n)
            call = mod.parent(parent) if isinstance(parent, cst.Arg) else None
            if isinstance(call, cst.Call) and "os.set_inheritable" in mod.qualified(call.func) \
                    and len(call.args) == 2 and mod.code(call.args[1].value) in ("True", "False"):
                state[0] = mod.code(call.args[1].value) == "False"
                return False
            bad.append(n)
            return True
        if isinstance(n, cst.Call):
            q = mod.qualified(n.func)
            if q & _CLOSERS or not (q & (_HARMLESS | calls.SAFE | calls.DIAG | set(calls.SHARED))):
                if not (q & {"os.set_inheritable"}):
                    bad.append(n)
                    return True
        return False

    for s in stmts:
        if any_node(s, check):
            return "invalid"
    return state[0]
