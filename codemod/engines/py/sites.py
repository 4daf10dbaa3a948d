"""Find vfork reached through ctypes in a Python module and delimit each child.

libcst's qualified names follow imports but not assignments, so handles are
tracked here: every `x = ctypes.CDLL(...)` (and friends) binding is
recorded by its target node, and a name is a handle when the scope lookup
of that name reaches such a binding.  `self.libc = ...` makes `libc` an
attribute handle for `self.libc` anywhere in the module.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

import libcst as cst
from libcst.metadata import MetadataWrapper, ParentNodeProvider, PositionProvider, ScopeProvider

from codemod.core import outcomes, region
from codemod.core.reasons import For

R = For("python")

CONSTRUCTORS = {"ctypes.CDLL", "ctypes.PyDLL", "ctypes.cdll.LoadLibrary", "ctypes.pydll.LoadLibrary"}
LOADERS = {"ctypes.cdll", "ctypes.pydll"}


@dataclass
class Region:
    """The child's statements and what holds them: an `if` branch, its `else`, or the rest of the block."""

    kind: str              # "branch", "else", "fallthrough"
    body: list             # statements
    owner: cst.CSTNode     # the If whose branch it is, or the block


@dataclass
class PySite:
    """One vfork call in a Python module, with its child region once found."""

    call: cst.Call
    token: cst.Name                       # the `vfork` name, for line and column
    line: int
    column: int
    function: Optional[str]
    result: Optional[str] = None          # the pid variable
    anchor: Optional[cst.CSTNode] = None  # statement performing the call
    region: Optional[Region] = None
    review: list = field(default_factory=list)
    no_spawn: list = field(default_factory=list)
    error_path: bool = False

    def block(self, reason) -> None:
        self.review.append(reason)


@dataclass
class PyNote:
    """A vfork reference that is not a call (reported as a note)."""

    line: int
    column: int
    what: str
    function: Optional[str]


class Module:
    """A parsed module with the metadata the engine needs."""

    def __init__(self, module: cst.Module):
        self.module = module
        self.wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        self.scopes = self.wrapper.resolve(ScopeProvider)
        self.parents = self.wrapper.resolve(ParentNodeProvider)
        self.positions = self.wrapper.resolve(PositionProvider)

    def code(self, node: cst.CSTNode) -> str:
        return " ".join(self.module.code_for_node(node).split())

    def short(self, node: cst.CSTNode, limit: int = 60) -> str:
        """A node's code on one line, cut to ``limit`` characters, for messages."""
        s = self.code(node)
        return s if len(s) <= limit else s[: limit - 3] + "..."

    def line(self, node: cst.CSTNode) -> int:
        return self.positions[node].start.line

    def qualified(self, node: cst.CSTNode) -> set:
        scope = self.scopes.get(node)
        if scope is None:
            return set()
        return {q.name for q in scope.get_qualified_names_for(node)}

    def parent(self, node):
        return self.parents.get(node)

    def enclosing_function(self, node) -> Optional[cst.FunctionDef]:
        p = self.parent(node)
        while p is not None and not isinstance(p, cst.FunctionDef):
            p = self.parent(p)
        return p

class _Collector(cst.CSTVisitor):
    def __init__(self):
        self.assigns: list = []
        self.vfork_attrs: list = []
        self.calls: list = []

    def visit_Assign(self, node):
        self.assigns.append(node)

    def visit_Attribute(self, node):
        if node.attr.value == "vfork":
            self.vfork_attrs.append(node)

    def visit_Call(self, node):
        self.calls.append(node)


def collect(mod: Module) -> tuple:
    """Return (sites, notes, binding targets) for every vfork reached through
    a ctypes handle; the targets are the Name nodes of handle and alias bindings."""
    c = _Collector()
    mod.module.visit(c)
    handles = _Handles(mod, c.assigns)
    sites, notes = [], []
    alias_targets = {}
    for attr in c.vfork_attrs:
        if not handles.is_handle(attr.value):
            continue
        parent = mod.parent(attr)
        if isinstance(parent, cst.Call) and parent.func is attr:
            sites.append(_new_site(mod, parent, attr.attr))
            continue
        assign = parent if isinstance(parent, cst.Assign) else None
        if assign is not None and len(assign.targets) == 1 and isinstance(assign.targets[0].target, cst.Name):
            alias_targets[assign.targets[0].target] = attr
            continue
        pos = mod.positions[attr.attr].start
        notes.append(PyNote(pos.line, pos.column + 1, f"`{mod.code(attr)}` passed on as a value",
                            _fname(mod, attr)))
    called = set()
    for call in c.calls:
        if isinstance(call.func, cst.Name) and handles.refers_to(call.func, alias_targets):
            sites.append(_new_site(mod, call, call.func))
            called |= handles.bindings_of(call.func) & set(alias_targets)
    for target, attr in alias_targets.items():
        if target not in called:
            pos = mod.positions[attr.attr].start
            notes.append(PyNote(pos.line, pos.column + 1,
                                f"`{mod.code(attr)}` bound to `{target.value}` but never called",
                                _fname(mod, attr)))
    for site in sites:
        locate(mod, site)
    bound = set(handles.targets) | set(alias_targets)
    return sites, notes, bound


class _Handles:
    def __init__(self, mod: Module, assigns: list):
        self.mod = mod
        self.targets: set = set()     # Name nodes bound to a handle
        self.attrs: set = set()       # attribute names of `self.<attr>` handles
        for a in assigns:
            if not self.constructs(a.value):
                continue
            for t in a.targets:
                node = t.target
                if isinstance(node, cst.Name):
                    self.targets.add(node)
                elif isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) \
                        and node.value.value == "self":
                    self.attrs.add(node.attr.value)

    def constructs(self, expr) -> bool:
        """``expr`` creates a library handle: ctypes.CDLL(...), ctypes.cdll.name, ..."""
        if isinstance(expr, cst.Call):
            return bool(self.mod.qualified(expr.func) & CONSTRUCTORS)
        if isinstance(expr, cst.Attribute):
            return any(q.rsplit(".", 1)[0] in LOADERS for q in self.mod.qualified(expr)) \
                and expr.attr.value != "LoadLibrary"
        if isinstance(expr, cst.Subscript):
            return bool(self.mod.qualified(expr.value) & LOADERS)
        return False

    def is_handle(self, expr) -> bool:
        if self.constructs(expr):
            return True
        if isinstance(expr, cst.Name):
            return bool(self.bindings_of(expr) & self.targets)
        if isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name) and expr.value.value == "self":
            return expr.attr.value in self.attrs
        return False

    def bindings_of(self, name: cst.Name) -> set:
        scope = self.mod.scopes.get(name)
        if scope is None or name.value not in scope:
            return set()
        return {a.node for a in scope[name.value] if hasattr(a, "node")}

    def refers_to(self, name: cst.Name, targets) -> bool:
        return bool(self.bindings_of(name) & set(targets))


def _fname(mod: Module, node) -> Optional[str]:
    fn = mod.enclosing_function(node)
    return fn.name.value if fn is not None else None


def _new_site(mod: Module, call: cst.Call, token: cst.Name) -> PySite:
    pos = mod.positions[token].start
    return PySite(call, token, pos.line, pos.column + 1, _fname(mod, call))


# --------------------------------------------------------------------------

def locate(mod: Module, site: PySite) -> None:
    call = site.call
    parent = mod.parent(call)
    line = site.line
    if isinstance(parent, cst.Assign) and parent.value is call:
        targets = parent.targets
        stmt = mod.parent(parent)
        if len(targets) == 1 and isinstance(targets[0].target, cst.Name) \
                and isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1:
            site.result = targets[0].target.value
            site.anchor = stmt
            _scan(mod, site, stmt, include_anchor=False)
        else:
            site.block(R("result-stored-by", line, stmt=mod.code(parent)))
    else:
        node = call
        p = parent
        while isinstance(p, (cst.Comparison, cst.ComparisonTarget, cst.UnaryOperation, cst.BooleanOperation)):
            node, p = p, mod.parent(p)
        if isinstance(p, cst.If) and p.test is node:
            site.anchor = p
            site.no_spawn.append(R("no-pid", line))
            _scan(mod, site, p, include_anchor=True)
        elif isinstance(parent, cst.Return):
            site.block(R("result-returned", line))
        elif isinstance(parent, cst.Arg):
            site.block(R("result-passed", line))
        elif isinstance(parent, cst.Expr):
            site.block(R("result-discarded", line))
        else:
            site.block(R("result-used-in", line, expr=mod.code(parent)))
    if not site.review and site.region is not None:
        site.error_path = _has_error_path(mod, site)


def _is_result(mod: Module, site: PySite):
    def check(node) -> bool:
        if node is site.call:
            return True
        return site.result is not None and isinstance(node, cst.Name) and node.value == site.result
    return check


def _const(node) -> Optional[int]:
    if isinstance(node, cst.Integer):
        try:
            return int(node.value.replace("_", ""), 0)
        except ValueError:
            return None
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, (cst.Minus, cst.Plus)):
        v = _const(node.expression)
        return None if v is None else (-v if isinstance(node.operator, cst.Minus) else v)
    return None


_OPS = {cst.Equal: "==", cst.NotEqual: "!=", cst.LessThan: "<", cst.GreaterThan: ">",
        cst.LessThanEqual: "<=", cst.GreaterThanEqual: ">="}


def evaluate(expr, is_result) -> dict:
    """The truth of a condition for each vfork outcome."""
    if is_result(expr):
        return outcomes.result_truth()
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Not):
        return outcomes.negate(evaluate(expr.expression, is_result))
    if isinstance(expr, cst.BooleanOperation):
        a, b = evaluate(expr.left, is_result), evaluate(expr.right, is_result)
        return outcomes.both(a, b) if isinstance(expr.operator, cst.And) else outcomes.either(a, b)
    if isinstance(expr, cst.Comparison) and len(expr.comparisons) == 1:
        target = expr.comparisons[0]
        op = _OPS.get(type(target.operator))
        if op is not None:
            if is_result(expr.left) and _const(target.comparator) is not None:
                return outcomes.compare(op, _const(target.comparator))
            if is_result(target.comparator) and _const(expr.left) is not None:
                return outcomes.compare(outcomes.MIRROR[op], _const(expr.left))
    return outcomes.unknown()


def any_node(node, predicate) -> bool:
    """Some node in ``node``'s subtree satisfies ``predicate`` (stops at the first)."""
    found = []

    class V(cst.CSTVisitor):
        def on_visit(self, n):
            if predicate(n):
                found.append(n)
            return not found
    node.visit(V())
    return bool(found)


def block_statements(block) -> list:
    """Statements of an IndentedBlock / SimpleStatementSuite / Module."""
    return list(block.body)


class Syntax:
    """How :mod:`codemod.core.region` reads Python (libcst nodes of one module)."""

    language = "python"

    def __init__(self, mod: Module):
        self.mod = mod

    def line(self, node) -> int:
        return self.mod.line(node)

    def show(self, node) -> str:
        return self.mod.short(node) if not isinstance(node, cst.BaseExpression) else self.mod.code(node)

    def returns(self, stmt) -> bool:
        return isinstance(stmt, cst.SimpleStatementLine) and any(isinstance(s, cst.Return) for s in stmt.body)

    def evaluate(self, condition, is_result) -> dict:
        return evaluate(condition, is_result)

    def mentions(self, node, is_result) -> bool:
        return any_node(node, is_result)

    def if_parts(self, stmt):
        if not isinstance(stmt, cst.If):
            return None
        if stmt.orelse is None:
            alternative = None
        elif isinstance(stmt.orelse, cst.If):
            alternative = ("if", stmt.orelse)
        else:
            alternative = ("else", stmt.orelse)
        return stmt.test, block_statements(stmt.body), alternative

    def region(self, kind: str, stmt) -> Region:
        body = stmt.body if kind == "branch" else stmt.orelse.body
        return Region(kind, block_statements(body), stmt)

    def fallthrough(self, stmts: list) -> Region:
        return Region("fallthrough", stmts, self.mod.parent(stmts[0]))

    def shape(self, stmt) -> tuple:
        if isinstance(stmt, cst.SimpleStatementLine):
            stmt = stmt.body[-1]
        if isinstance(stmt, (cst.Return, cst.Raise, cst.Break, cst.Continue)):
            return ("leaves",)
        if isinstance(stmt, cst.Expr) and isinstance(stmt.value, cst.Call):
            return ("call", stmt.value)
        if isinstance(stmt, cst.If):
            other = None if stmt.orelse is None else (
                [stmt.orelse] if isinstance(stmt.orelse, cst.If) else block_statements(stmt.orelse.body))
            return ("if", block_statements(stmt.body), other)
        if isinstance(stmt, cst.Else):
            return ("block", block_statements(stmt.body))
        if isinstance(stmt, cst.While):
            forever = isinstance(stmt.test, cst.Name) and stmt.test.value == "True"
            return ("loop", forever, any_node(stmt, lambda n: isinstance(n, cst.Break)))
        if isinstance(stmt, cst.Try):
            final = block_statements(stmt.finalbody.body) if stmt.finalbody is not None else None
            return ("try", block_statements(stmt.body), [block_statements(h.body) for h in stmt.handlers], final)
        return ("other",)


def call_name(call: cst.Call) -> str:
    """The last part of the called name (`os._exit` -> `_exit`)."""
    f = call.func
    return f.attr.value if isinstance(f, cst.Attribute) else getattr(f, "value", "")


def exits(call: cst.Call) -> bool:
    """A call that never returns, for telling which branches leave."""
    return call_name(call) in ("_exit", "exit", "abort")


def _scan(mod: Module, site: PySite, anchor, include_anchor: bool) -> None:
    syntax = Syntax(mod)
    scan = region.Scan(syntax, _is_result(mod, site), exits, site.review, site.no_spawn)
    container = mod.parent(anchor)
    siblings = block_statements(container)
    idx = next(i for i, s in enumerate(siblings) if s is anchor)
    rest = siblings[idx:] if include_anchor else siblings[idx + 1:]
    live = region.scan(scan, rest, set(region.ALL), R, lambda stmt, live: None)
    site.region = scan.region
    if live is not None:
        site.block(R("block-end-reached", mod.line(anchor)))


def _has_error_path(mod: Module, site: PySite) -> bool:
    """Some branch is taken on failure alone (`if pid < 0:`, a final else)."""
    is_result = _is_result(mod, site)
    fn = mod.enclosing_function(site.call) or mod.module
    syntax = Syntax(mod)
    found = []

    class V(cst.CSTVisitor):
        def visit_If(self, node):
            if mod.positions[node].start.line >= site.line and mod.parent(node).__class__ is not cst.If:
                if region.chain_has_error_branch(syntax, node, is_result):
                    found.append(node)
    fn.visit(V())
    return bool(found)
