"""The posix_spawn rewrite: the block that replaces a vfork call and its
child region, where it goes, and the finding that explains it."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Optional

from codemod.core import layout, region
from codemod.core.edits import apply_edits
from codemod.core.kinds import spawn as kind
from codemod.core.model import Edit, Finding, Fix
from codemod.core.reasons import For
from codemod.engines.c.frontend.syntax import (
    PREPROC_BRANCHES, Node, declarators, encode_text, function_name, index, line, parse, text,
)
from codemod.engines.c.proof import sites
from codemod.engines.c.proof.spawnmatch import SpawnPlan
from codemod.engines.c.rewrite.base import Rewrite, rewrite

R = For("c")
# Where a statement can be replaced by a block or preceded by one.
STATEMENT_LISTS = {"compound_statement", "case_statement"} | PREPROC_BRANCHES

_ATTR_FLAGS = {
    "setpgroup": "POSIX_SPAWN_SETPGROUP",
    "setsigdef": "POSIX_SPAWN_SETSIGDEF",
    "setsigmask": "POSIX_SPAWN_SETSIGMASK",
    "setsid": "POSIX_SPAWN_SETSID",
}
_FILE_ACTIONS = {"adddup2", "addclose", "addopen", "addchdir_np"}


@dataclass
class Names:
    """Identifiers of the generated code, made unique within the file."""

    fa: str = "spawn_fa"
    attr: str = "spawn_attr"
    sigdef: str = "spawn_sigdef"
    argv: str = "spawn_argv"
    err: str = "spawn_err"
    pid: str = "spawn_pid"

    @classmethod
    def avoiding(cls, taken) -> "Names":
        names = cls()
        for field in vars(names):
            setattr(names, field, free_name(getattr(names, field), taken))
        return names


def free_name(base: str, taken) -> str:
    """``base``, or ``base2``, ``base3``... : the first not ``in taken``."""
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}{n}"
    return candidate


def render(plan: SpawnPlan, result: str, direct_pid: bool, names: Names, null: str) -> list:
    """The block as a list of (depth, line) pairs; depth 0 is the statement's own level."""
    ex = plan.exec
    file_actions = [a for a in plan.actions if a.op in _FILE_ACTIONS]
    attrs = [a for a in plan.actions if a.op in _ATTR_FLAGS]
    sigdefs = [a for a in attrs if a.op == "setsigdef"]
    fa = f"&{names.fa}" if file_actions else null
    attr = f"&{names.attr}" if attrs else null
    env = ex.env if ex.spec.has_env else "environ"
    argv = ex.argv if not ex.spec.list_form else names.argv
    target = f"&{result}" if direct_pid else f"&{names.pid}"

    decls = []
    if file_actions:
        decls.append(f"posix_spawn_file_actions_t {names.fa};")
    if attrs:
        decls.append(f"posix_spawnattr_t {names.attr};")
    if sigdefs:
        decls.append(f"sigset_t {names.sigdef};")
    if ex.spec.list_form:
        decls.append(f"char *{names.argv}[{len(ex.arg_list) + 1}];")
    for d in plan.moved_decls:
        decls.append(text(d))
    if not direct_pid:
        decls.append(f"pid_t {names.pid};")
    decls.append(f"int {names.err};")

    body = []
    # A file action from a checked call fails the spawn when it cannot be
    # added (a negative descriptor), as the call failing ended the child;
    # the others are left out then, as the child ignored the call.
    checked = False
    if file_actions:
        body.append(f"posix_spawn_file_actions_init(&{names.fa});")
        for a in file_actions:
            call = f"posix_spawn_file_actions_{a.op}(&{names.fa}, {', '.join(a.args)});"
            if a.checked and not checked:
                body.append(f"{names.err} = {call}")
            elif a.checked:
                body += [f"if ({names.err} == 0)", (1, f"{names.err} = {call}")]
            else:
                body.append(call)
            checked = checked or a.checked
    if attrs:
        body.append(f"posix_spawnattr_init(&{names.attr});")
        flags = []
        for a in attrs:
            if _ATTR_FLAGS[a.op] not in flags:
                flags.append(_ATTR_FLAGS[a.op])
        body.append(f"posix_spawnattr_setflags(&{names.attr}, {' | '.join(flags)});")
        for a in attrs:
            if a.op == "setpgroup":
                body.append(f"posix_spawnattr_setpgroup(&{names.attr}, {a.args[0]});")
            elif a.op == "setsigmask":
                body.append(f"posix_spawnattr_setsigmask(&{names.attr}, {a.args[0]});")
        if sigdefs:
            body.append(f"sigemptyset(&{names.sigdef});")
            for a in sigdefs:
                body.append(f"sigaddset(&{names.sigdef}, {a.args[0]});")
            body.append(f"posix_spawnattr_setsigdefault(&{names.attr}, &{names.sigdef});")
    if ex.spec.list_form:
        for i, arg in enumerate(ex.arg_list):
            value = arg if arg.lstrip().startswith('"') else f"(char *){arg}"
            body.append(f"{names.argv}[{i}] = {value};")
        body.append(f"{names.argv}[{len(ex.arg_list)}] = {null};")
    spawn_call = f"{names.err} = {ex.spec.spawn}({target}, {ex.path}, {fa}, {attr}, {argv}, {env});"
    if checked:
        body += [f"if ({names.err} == 0)", (1, spawn_call)]
    else:
        body.append(spawn_call)
    if attrs:
        body.append(f"posix_spawnattr_destroy(&{names.attr});")
    if file_actions:
        body.append(f"posix_spawn_file_actions_destroy(&{names.fa});")

    out = [(0, "{")]
    out += [(1, d) for d in decls]
    out.append((None, ""))
    out += [(1 + b[0], b[1]) if isinstance(b, tuple) else (1, b) for b in body]
    out.append((1, f"if ({names.err} != 0) {{"))
    out.append((2, f"errno = {names.err};"))
    out.append((2, f"{result} = -1;"))
    if direct_pid:
        out.append((1, "}"))
    else:
        out.append((1, "} else {"))
        out.append((2, f"{result} = {names.pid};"))
        out.append((1, "}"))
    out.append((0, "}"))
    return out


def needs(plan: SpawnPlan) -> set:
    """File-level additions the block relies on."""
    wanted = {"spawn.h", "errno.h"}
    if not plan.exec.spec.has_env:
        wanted.add("environ")
    return wanted


@rewrite
class Spawn(Rewrite):
    """vfork and its child region become one posix_spawn (or posix_spawnp)
    call with the child's set-up as file actions and attributes."""

    rule = kind.RULE
    priority = 10

    def applies(self, decision) -> bool:
        return decision.verdict is self.rule.verdict

    def place(self, target, site, child) -> tuple:
        return _edits(target, site, child)

    def finding(self, target, finding: Finding, key: int, site, decision) -> Finding:
        plan = decision.child.plan
        wanted = frozenset(needs(plan) | ({"signal.h"} if any(a.op == "setsigdef" for a in plan.actions) else set()))
        first, last = line(site.region.body[0]), site.region.body[-1].end_point.row + 1
        reasons = [R("spawn-action", a.line, detail=_describe_action(a)) for a in plan.actions] + list(plan.notes)
        reasons.sort(key=lambda r: r.line)
        reasons.append(R("exec-becomes", line(plan.exec.node),
                         name=plan.exec.node.child_by_field_name("function").text.decode(),
                         spawn=plan.exec.spec.spawn))
        reasons.append(R("exec-failure-changes", line(site.call), result=text(site.result)))
        return replace(finding, message=f"fixable with {plan.exec.spec.spawn}: child (lines {first}-{last})",
                       reasons=tuple(reasons), fix=Fix(self.rule.applicability, key, tuple(decision.spawn), wanted,
                                                       target=plan.exec.spec.spawn))


_ACTION_TEXT = {
    "adddup2": "dup2({0}, {1}) → posix_spawn_file_actions_adddup2",
    "addclose": "close({0}) → posix_spawn_file_actions_addclose",
    "addopen": "open({1}, {2}) moved onto fd {0} → posix_spawn_file_actions_addopen",
    "addchdir_np": "chdir({0}) → posix_spawn_file_actions_addchdir_np (glibc 2.29)",
    "setpgroup": "setpgid(0, {0}) → POSIX_SPAWN_SETPGROUP",
    "setsigdef": "{0} reset to SIG_DFL → POSIX_SPAWN_SETSIGDEF",
    "setsigmask": "signal mask {0} → POSIX_SPAWN_SETSIGMASK",
    "setsid": "setsid() → POSIX_SPAWN_SETSID (glibc 2.26)",
}


def _describe_action(a) -> str:
    return _ACTION_TEXT[a.op].format(*a.args) + a.note


def _edits(target, site, child) -> tuple:
    """The posix_spawn edits, or (None, reason) when they cannot be placed."""
    src = target.source
    child_region = site.region
    del_start, del_end, whole = child_region.delete
    if whole:
        del_start, del_end = layout.whole_lines(src, del_start, del_end)
    deletion = Edit(del_start, del_end, b"")
    direct = _declared_pid_t(site)
    block_lines = render(child.plan, text(site.result), direct, Names.avoiding(target.taken_names), target.null())
    edits = [deletion]
    anchor = site.anchor
    if site.declarator is not None:
        value = site.declarator.child_by_field_name("value")
        declarator = site.declarator.child_by_field_name("declarator")
        if _const_qualified(anchor):
            return None, R("pid-const", line(anchor), name=text(declarator))
        edits.append(Edit(declarator.end_byte, value.end_byte, b""))
        after = _first_statement_after(anchor)
        if after is None or not layout.starts_line(src, after.start_byte):
            return None, R("no-statement-after", line(anchor))
        edits.append(target.insert_block(after.start_byte, block_lines))
    elif anchor.type == "expression_statement":
        if anchor.parent.type not in STATEMENT_LISTS \
                or not layout.starts_line(src, anchor.start_byte):
            return None, R("not-own-statement", line(anchor), stmt=text(anchor))
        late = _declared_between(site.function, anchor.end_byte, child_region.body[0].start_byte,
                                 child.plan.used_names)
        if late:
            return None, R("declared-after-vfork", line(late), decl=text(late))
        indent = layout.indentation_at(src, anchor.start_byte).decode()
        rendered = target.lines(block_lines, indent)
        edits.append(Edit(anchor.start_byte, anchor.end_byte, encode_text(rendered[len(indent):].rstrip("\r\n"))))
    else:
        # vfork inside an if/switch condition: spawn first, then test.
        if anchor.parent.type not in STATEMENT_LISTS \
                or not layout.starts_line(src, anchor.start_byte):
            return None, R("condition-not-own-line", line(anchor))
        edits.append(target.insert_block(anchor.start_byte, block_lines))
        inner = site.assignment
        while inner.parent.type == "parenthesized_expression" and inner.parent.parent.type != "switch_statement" \
                and inner.parent.parent.type != "if_statement":
            inner = inner.parent
        repl = Edit(inner.start_byte, inner.end_byte, encode_text(text(site.result)))
        if not (deletion.start <= repl.start and repl.end <= deletion.end):
            edits.append(repl)
    stranded = _stranded(site, child, deletion)
    if stranded:
        return None, stranded
    if _opens_function_end(src, site, edits):
        return None, R("opens-function-end", line(child_region.owner), function=function_name(site.function))
    return edits, None


def _opens_function_end(source: bytes, site, edits: list) -> bool:
    """The function's end was unreachable and would not be after the edits."""
    fn = site.function
    body = fn.child_by_field_name("body")
    leaving = region.first_leaving(sites.SYNTAX, sites.statements(body), sites.exits)
    if leaving is None:
        return False
    if all(e.end <= leaving.start_byte for e in edits):
        return False  # the statement that always leaves stays, untouched
    # Parse the rewritten function on its own: all of a site's edits lie inside it.
    lo, hi = fn.start_byte, fn.end_byte
    if any(not (lo <= e.start and e.end <= hi) for e in edits):
        return True
    text_after = apply_edits(source[lo:hi], [Edit(e.start - lo, e.end - lo, e.text) for e in edits])
    new_fn = next((n for n in parse(text_after).root_node.children if n.type == "function_definition"), None)
    return new_fn is None or sites.can_reach_end(new_fn.child_by_field_name("body"))


def _declared_pid_t(site) -> bool:
    """The result is a plain variable declared `pid_t`, so `&pid` fits posix_spawn."""
    if site.result is None or site.result.type != "identifier":
        return False
    name = text(site.result)
    if site.declarator is not None:
        decl = site.declarator.parent
        return text(decl.child_by_field_name("type")) == "pid_t" and not _const_qualified(decl)
    for n in index(site.function).of("declaration"):
        if n.start_byte < site.call.start_byte:
            for d in n.children_by_field_name("declarator"):
                if d.type == "identifier" and text(d) == name:
                    return text(n.child_by_field_name("type")) == "pid_t"
    return False


def _stranded(site, child, deletion: Edit):
    """A variable or parameter only the removed child used would become unused."""
    used_by_spawn = child.plan.used_names
    fn = site.function
    checked = set()
    lo, hi = site.region.body[0].start_byte, site.region.body[-1].end_byte
    for ident in index(fn).within("identifier", lo, hi):
        name = text(ident)
        declared_inside = name in child.locals and name not in child.private
        if name in checked or declared_inside or name in used_by_spawn:
            continue
        checked.add(name)
        decl = _local_declaration(fn, name, lo)
        if decl is None:
            continue
        others = [n for n in index(fn).idents.get(name, [])
                  if n != decl and not (deletion.start <= n.start_byte < deletion.end)]
        if not others:
            return R("stranded", line(decl), name=name, at=line(decl))
    return None


def _const_qualified(decl: Node) -> bool:
    return any(c.type == "type_qualifier" and text(c) == "const" for c in decl.children)


def _first_statement_after(decl: Node) -> Optional[Node]:
    node = decl.next_named_sibling
    while node is not None and node.type in ("declaration", "comment"):
        node = node.next_named_sibling
    return node


def _declared_between(fn: Node, lo: int, hi: int, names: set) -> Optional[Node]:
    """A declarator of one of ``names`` between bytes ``lo`` and ``hi``."""
    for n in index(fn).of("declaration"):
        if lo <= n.start_byte < hi:
            for d in declarators(n):
                if text(d) in names:
                    return d
    return None


def _local_declaration(fn: Node, name: str, before: int) -> Optional[Node]:
    """The identifier node declaring ``name`` as a parameter or local of ``fn``."""
    idx = index(fn)
    old_style = [n for n in idx.idents.get(name, []) if n.parent.type == "parameter_list"]
    for n in sorted(old_style + idx.of("parameter_declaration", "declaration"), key=lambda n: n.start_byte):
        if n.start_byte >= before:
            break
        if n.type == "identifier":
            return n
        for d in declarators(n):
            if text(d) == name:
                return d
    return None
