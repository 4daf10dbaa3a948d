"""Analyse one Python module: find vfork reached through ctypes and rewrite it
with libcst (os.posix_spawn or os.fork), leaving everything else byte-identical."""
from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import combinations
from typing import Optional

import libcst as cst

from codemod.core import region
from codemod.core.model import Finding, Fix, Verdict
from codemod.core.reasons import For
from codemod.engines.py import analysis, provenance, sites, slicing
from codemod.engines.py.sites import Module, PySite

R = For("python")
# Renders of every subset of a file's fixes are made for the outputs (SARIF,
# review patches, interactive apply) up to this many fixes; beyond it, each
# fix alone, each prefix in line order, and the set the run applies.
ALL_SUBSETS_UP_TO = 4


class PyFile:
    """A parsed Python module, its findings, and how to render chosen ones
    (a :class:`codemod.engines.base.Unit`)."""

    language = "python"
    asks = frozenset()          # Python asks no project index
    site_notes: tuple = ()
    compiled = None             # never compiled with project flags

    def __init__(self, source: bytes, path: str, options: analysis.Options = analysis.Options()):
        self.source = source
        self.path = path
        self.options = options
        found = None
        sliced = slicing.relevant_source(source)
        if sliced is not None:
            # Only notes can come from the slice; a module with a site is read whole.
            self.module = cst.parse_module(sliced.source)
            self.mod = Module(self.module)
            found, notes, bound = sites.collect(self.mod)
            notes = [replace(n, line=sliced.lines[n.line - 1]) for n in notes]
        if found is None or found:
            self.module = cst.parse_module(source)
            self.mod = Module(self.module)
            found, notes, bound = sites.collect(self.mod)
        self.cleanup_keys = {(_scope_key(self.mod, t), t.value) for t in bound} | _import_keys(self.module)
        self.plans: list = []       # per fix key: (site, "spawn" or "fork", spawn plan or None)
        self.findings = [self._finding(s) for s in found]
        for n in notes:
            self.findings.append(Finding(path, n.line, n.column, "python", Verdict.NOTE,
                                         f"{n.what}: not a call, not rewritten",
                                         (R("reference", n.line, what=n.what),), n.function))
        self.findings.sort(key=lambda f: (f.line, f.column))

    # -- verdicts ----------------------------------------------------------
    def _finding(self, site: PySite) -> Finding:
        decision = region.decide(
            site.review, site.region, R("region-undelimited", site.line),
            lambda: analysis.analyse(self.mod, site, self._outside_names(site), self.options,
                                     lambda wanted: provenance.origins(self.mod, site, wanted)),
            lambda child: site.no_spawn, lambda child: (child.plan, None))
        f = Finding(self.path, site.line, site.column, "python", decision.verdict, "", function=site.function)
        if decision.fix is None:
            return replace(f, message=region.message(decision, "os.fork"), reasons=tuple(decision.reasons))
        key = len(self.plans)
        plan = decision.spawn
        self.plans.append((site, decision.fix, plan))
        fix = Fix(decision.verdict.info.applicability, key,
                  target=f"os.{plan.function}" if decision.verdict is Verdict.SPAWN else "os.fork")
        if decision.verdict is Verdict.SPAWN:
            reasons = plan.lines + [
                R("exec-becomes", site.line, spawn=plan.function),
                R("exec-failure-changes", site.line,
                  caught=f" (caught: `{site.result} = -1`)" if site.error_path else "")]
            message = f"fixable with os.{plan.function}: child (lines {self.mod.line(site.region.body[0])}-" \
                      f"{self.mod.positions[site.region.body[-1]].end.line})"
            return replace(f, message=message, reasons=tuple(reasons), fix=fix)
        return replace(f, message=region.message(decision, "os.fork"), reasons=tuple(decision.reasons), fix=fix)

    def _outside_names(self, site: PySite) -> set:
        """Names the enclosing function (or module) mentions outside the child."""
        scope_node = self.mod.enclosing_function(site.call) or self.module
        region = site.region.body
        lo = self.mod.positions[region[0]].start.line
        hi = self.mod.positions[region[-1]].end.line
        names = set()
        mod = self.mod

        class V(cst.CSTVisitor):
            def visit_Name(self, node):
                line = mod.positions[node].start.line
                if not (lo <= line <= hi):
                    names.add(node.value)
        scope_node.visit(V())
        if scope_node is not self.module:
            # Module globals are visible to the parent too.
            names |= {a.name for a in self.mod.scopes[self.module.body[0]].assignments} if self.module.body else set()
        return names

    # -- rewriting ---------------------------------------------------------
    def render(self, chosen: list) -> bytes:
        plans = {}
        for f in chosen:
            site, kind, plan = self.plans[f.fix.key]
            plans[id(site.call)] = (site, kind, plan)
        new = self.module.visit(_Rewriter(self, plans))
        new = _cleanup(self.mod, new, self.cleanup_keys, uses_os=bool(plans))
        return new.bytes

    def edits_of(self, new: bytes) -> Optional[list]:
        """None: this engine rewrites the syntax tree, not byte ranges."""
        return None

    def verify(self, new: bytes) -> Optional[str]:
        try:
            cst.parse_module(new)
        except cst.ParserSyntaxError as exc:
            return f"the rewritten module does not parse: {exc.message}"
        return None

    def renderer(self, options) -> Optional["TableRenderer"]:
        """The renders the outputs may ask for, made here: another process
        has no syntax tree to render from.  Only when the run needs them."""
        if not options.renders:
            return None
        fixable = [f for f in self.findings if f.fix is not None]
        keys = [f.fix.key for f in fixable]
        wanted: set = set()
        if len(keys) <= ALL_SUBSETS_UP_TO:
            wanted = {frozenset(c) for n in range(1, len(keys) + 1) for c in combinations(keys, n)}
        else:
            from codemod.core.model import applies
            # Each alone, every prefix in line order (a review series stacks
            # them), and the set the run applies.
            wanted = {frozenset([k]) for k in keys} | {frozenset(keys[:n]) for n in range(1, len(keys) + 1)} | {
                frozenset(f.fix.key for f in fixable if applies(f, options.include_review))}
        by_key = {f.fix.key: f for f in fixable}
        table = {}
        for subset in wanted:
            if subset:
                new = self.render([by_key[k] for k in sorted(subset)])
                table[subset] = None if self.verify(new) else new
        return TableRenderer(table)

    def spawn_statements(self, site: PySite, plan) -> list:
        """The statements replacing `pid = <handle>.vfork()`, in the module's
        own indentation and line endings."""
        # (keyword or None, argument text)
        args = [(None, plan.path), (None, plan.argv), (None, plan.env)]
        if plan.file_actions:
            args.append(("file_actions", "file_actions=[" + ", ".join(plan.file_actions) + "]"))
        for key in ("setpgroup", "setsid", "setsigmask", "setsigdef"):
            if key in plan.attrs:
                args.append((key, f"{key}={plan.attrs[key]}"))
        head = f"{site.result} = os.{plan.function}("
        call = head + ", ".join(a for _, a in args) + ")"
        depth = 1 if site.error_path else 0
        if len(call) + 4 * (depth + site_depth(self.mod, site.anchor)) > 88:
            lines = [head]
            for key, a in args:
                if key == "file_actions":
                    lines.append("    file_actions=[")
                    lines += [f"        {fa}," for fa in plan.file_actions]
                    lines.append("    ],")
                else:
                    lines.append(f"    {a},")
            call = "\n".join(lines) + "\n)"
        if not site.error_path:
            code = call + "\n"
        else:
            errno = self._ctypes_name()
            if errno:
                handler = f"except OSError as spawn_error:\n    {errno}.set_errno(spawn_error.errno)\n"
            else:
                handler = "except OSError:\n"
            body = "\n".join("    " + ln for ln in call.split("\n"))
            code = f"try:\n{body}\n{handler}    {site.result} = -1\n"
        indent, nl = self.module.default_indent, self.module.default_newline
        code = nl.join(_reindent(ln, indent) for ln in code.split("\n"))
        return list(cst.parse_module(code, config=self.module.config_for_parsing).body)

    def _ctypes_name(self) -> Optional[str]:
        """The module's name for ctypes, when the code reads ctypes.get_errno()."""
        if b"get_errno" not in self.source:
            return None
        for stmt in self.module.body:
            if isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    if isinstance(small, cst.Import):
                        for alias in small.names:
                            if self.module.code_for_node(alias.name) == "ctypes":
                                return alias.asname.name.value if alias.asname else "ctypes"
        return None


@dataclass(frozen=True)
class TableRenderer:
    """Renders of chosen sets of a module's fixes, made where it was parsed."""

    table: dict     # frozenset of fix keys -> bytes, or None when the render did not verify

    def render(self, original: bytes, findings: list) -> Optional[bytes]:
        return self.table.get(frozenset(f.fix.key for f in findings))


class _Rewriter(cst.CSTTransformer):
    def __init__(self, unit: PyFile, plans: dict):
        self.unit = unit
        self.plans = plans
        self.anchors = {}       # id(anchor) -> (site, plan)
        self.branches = {}      # id(If) -> (site, kind)
        for site, kind, plan in plans.values():
            if kind == "spawn":
                self.anchors[id(site.anchor)] = (site, plan)
                self.branches[id(site.region.owner)] = (site, site.region.kind)

    def leave_Call(self, original, updated):
        entry = self.plans.get(id(original))
        if entry is not None and entry[1] == "fork":
            return updated.with_changes(func=cst.Attribute(value=cst.Name("os"), attr=cst.Name("fork")))
        return updated

    def leave_SimpleStatementLine(self, original, updated):
        entry = self.anchors.get(id(original))
        if entry is None:
            return updated
        site, plan = entry
        stmts = self.unit.spawn_statements(site, plan)
        stmts[0] = stmts[0].with_changes(leading_lines=original.leading_lines)
        return cst.FlattenSentinel(stmts)

    def leave_If(self, original, updated):
        entry = self.branches.get(id(original))
        if entry is not None:
            _, kind = entry
            if kind == "else":
                return updated.with_changes(orelse=None)
            # The child's own `if`: keep what follows it.
            parent = self.unit.mod.parent(original)
            if isinstance(parent, cst.If) and parent.orelse is original:
                return updated            # an elif: the parent If drops it (below)
            if updated.orelse is None:
                return cst.RemoveFromParent()
            if isinstance(updated.orelse, cst.If):
                return updated.orelse.with_changes(leading_lines=updated.leading_lines)
            body = updated.orelse.body
            stmts = list(body.body) if isinstance(body, cst.IndentedBlock) else [
                cst.SimpleStatementLine(body=list(body.body))]
            stmts[0] = stmts[0].with_changes(leading_lines=list(updated.leading_lines) + list(
                getattr(stmts[0], "leading_lines", [])))
            return cst.FlattenSentinel(stmts)
        orelse = original.orelse
        if isinstance(orelse, cst.If) and id(orelse) in self.branches and self.branches[id(orelse)][1] == "branch":
            return updated.with_changes(orelse=updated.orelse.orelse)
        return updated


# --------------------------------------------------------------------------
# After the rewrite: `import os` where needed, and handles or ctypes imports
# that the rewrite left unused are removed (those unused before stay).

def _cleanup(before: Module, after: cst.Module, keys: set, uses_os: bool) -> cst.Module:
    """``before`` is the analysed original (its metadata is reused)."""
    used_before = _referenced(before) & keys
    for _ in range(3):
        dead = used_before - _referenced(Module(after))
        removable = [v for k, v in _binding_statements(after).items() if k in dead]
        if not removable:
            break
        after = after.visit(_Remover(removable))
    if uses_os and not _binds_os(after):
        after = _add_import_os(after)
    return after


# Modules whose imported names a rewrite may leave unused (the child's
# `execv`, `_exit`, `signal`...).  Importing them has no side effect worth
# keeping, so a name only the removed child used can go.
CLEANABLE_MODULES = frozenset({"ctypes", "ctypes.util", "os", "posix", "signal", "sys", "errno"})


def _import_keys(module: cst.Module) -> set:
    return {k for k, (_, alias) in _binding_statements(module).items() if alias is not None}


def _scope_key(mod: Module, node) -> str:
    fn = mod.enclosing_function(node)
    parts = []
    while fn is not None:
        parts.append(fn.name.value)
        fn = mod.enclosing_function(fn)
    return "/".join(reversed(parts))


def _binding_statements(module: cst.Module) -> dict:
    """(scope path, name) -> (statement, alias) for one-target assignments
    (`x = ...`, alias None) and for each name imported from one of
    CLEANABLE_MODULES (`import ctypes, os`, `from os import execv`)."""
    mod = Module(module)
    out = {}

    class V(cst.CSTVisitor):
        def visit_SimpleStatementLine(self, node):
            if len(node.body) != 1:
                return
            small = node.body[0]
            scope = _scope_key(mod, node)
            if isinstance(small, cst.Assign) and len(small.targets) == 1 \
                    and isinstance(small.targets[0].target, cst.Name):
                out[(scope, small.targets[0].target.value)] = (node, None)
            elif isinstance(small, cst.Import):
                for alias in small.names:
                    name = module.code_for_node(alias.name)
                    if name in CLEANABLE_MODULES or name.split(".")[0] == "ctypes":
                        out[(scope, alias.asname.name.value if alias.asname else name)] = (node, alias)
            elif isinstance(small, cst.ImportFrom) and small.module is not None and not small.relative \
                    and module.code_for_node(small.module).split(".")[0] in CLEANABLE_MODULES \
                    and not isinstance(small.names, cst.ImportStar):
                for alias in small.names:
                    out[(scope, alias.asname.name.value if alias.asname else alias.name.value)] = (node, alias)
    module.visit(V())
    return out


def _referenced(mod: Module) -> set:
    keys = set()
    for scope in set(mod.scopes.values()):
        if scope is None:
            continue
        for a in scope.assignments:
            if a.references:
                node = getattr(a, "node", None)
                key_scope = _scope_key(mod, node) if node is not None else ""
                keys.add((key_scope, a.name))
    return keys


class _Remover(cst.CSTTransformer):
    """Drop whole binding statements, or single names from an import list.
    Blank lines and comments above a dropped statement move to the next one."""

    def __init__(self, removable: list):
        self.statements = {id(stmt) for stmt, alias in removable if alias is None}
        self.aliases = {id(alias) for _, alias in removable if alias is not None}
        self.dropped: set = set()
        self._alive: list = []    # ids in `dropped` stay unique only while these live

    def leave_SimpleStatementLine(self, original, updated):
        if id(original) in self.statements:
            self._drop(updated)
            return updated
        small = original.body[0] if len(original.body) == 1 else None
        if isinstance(small, (cst.Import, cst.ImportFrom)) and not isinstance(small.names, cst.ImportStar) \
                and any(id(a) in self.aliases for a in small.names):
            keep = [a for a in small.names if id(a) not in self.aliases]
            if not keep:
                self._drop(updated)
                return updated
            keep[-1] = keep[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
            return updated.with_changes(body=[updated.body[0].with_changes(names=keep)])
        return updated

    def _drop(self, node) -> None:
        self._alive.append(node)
        self.dropped.add(id(node))

    def _body(self, body) -> list:
        out, carried = [], []
        for stmt in body:
            if id(stmt) in self.dropped:
                carried.extend(stmt.leading_lines)
                continue
            if carried and hasattr(stmt, "leading_lines"):
                if stmt.leading_lines:   # keep its own spacing; bring comments only
                    carried = [ln for ln in carried if ln.comment is not None]
                stmt = stmt.with_changes(leading_lines=carried + list(stmt.leading_lines))
                carried = []
            out.append(stmt)
        return out

    def leave_Module(self, original, updated):
        return updated.with_changes(body=self._body(updated.body))

    def leave_IndentedBlock(self, original, updated):
        body = self._body(updated.body)
        return updated.with_changes(body=body or [cst.SimpleStatementLine([cst.Pass()])])


def _binds_os(module: cst.Module) -> bool:
    for stmt in module.body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, cst.Import) and any(
                        module.code_for_node(a.name) == "os" and a.asname is None for a in small.names):
                    return True
    return False


def _add_import_os(module: cst.Module) -> cst.Module:
    body = list(module.body)
    pos = 0
    for i, stmt in enumerate(body):
        if isinstance(stmt, cst.SimpleStatementLine) and all(
                isinstance(s, (cst.Import, cst.ImportFrom)) or (
                    i == 0 and isinstance(s, cst.Expr) and isinstance(s.value, cst.SimpleString))
                for s in stmt.body):
            pos = i + 1
        else:
            break
    line = cst.parse_statement("import os\n", config=module.config_for_parsing)
    body.insert(pos, line)
    return module.with_changes(body=body)


def site_depth(mod: Module, node) -> int:
    """How many blocks deep ``node`` sits (for line-length decisions)."""
    depth, p = 0, mod.parent(node)
    while p is not None:
        if isinstance(p, cst.IndentedBlock):
            depth += 1
        p = mod.parent(p)
    return depth


def _reindent(line: str, indent: str) -> str:
    """Swap the template's leading 4-space units for the module's indent."""
    stripped = line.lstrip(" ")
    return indent * ((len(line) - len(stripped)) // 4) + stripped
