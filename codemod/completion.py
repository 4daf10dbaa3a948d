"""Shell completion scripts, generated from the argument parser, so they
follow every flag the command line has: `vfork-codemod completion bash`."""
from __future__ import annotations

import argparse


def _commands(parser: argparse.ArgumentParser) -> dict:
    """command -> (help, [option strings], {option: choices})."""
    out = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help for a in action._choices_actions}
            for name, sub in action.choices.items():
                options, choices = [], {}
                for a in sub._actions:
                    options += [o for o in a.option_strings if o.startswith("--")]
                    if a.choices and a.option_strings:
                        choices.update({o: list(a.choices) for o in a.option_strings})
                out[name] = (helps.get(name, ""), sorted(options), choices)
    return out


def _globals(parser: argparse.ArgumentParser) -> list:
    return sorted(o for a in parser._actions for o in a.option_strings if o.startswith("--"))


def bash(parser: argparse.ArgumentParser) -> str:
    commands = _commands(parser)
    cases = []
    for name, (_, options, choices) in commands.items():
        choice_cases = "".join(f"            {opt}) COMPREPLY=($(compgen -W \"{' '.join(vals)}\" -- \"$cur\")); "
                               "return;;\n" for opt, vals in choices.items())
        cases.append(f"        {name})\n          case \"$prev\" in\n{choice_cases}          esac\n"
                     f"          COMPREPLY=($(compgen -W \"{' '.join(options)}\" -- \"$cur\"))\n"
                     "          [[ $cur != -* ]] && COMPREPLY+=($(compgen -f -- \"$cur\"))\n          return;;\n")
    return f"""# bash completion for vfork-codemod (made by `vfork-codemod completion bash`)
_vfork_codemod() {{
    local cur prev cmd i
    cur="${{COMP_WORDS[COMP_CWORD]}}"
    prev="${{COMP_WORDS[COMP_CWORD-1]}}"
    for ((i = 1; i < COMP_CWORD; i++)); do
        case "${{COMP_WORDS[i]}}" in {'|'.join(commands)}) cmd="${{COMP_WORDS[i]}}"; break;; esac
    done
    case "$cmd" in
{''.join(cases)}    esac
    COMPREPLY=($(compgen -W "{' '.join(commands)} {' '.join(_globals(parser))}" -- "$cur"))
}}
complete -F _vfork_codemod vfork-codemod
"""


def zsh(parser: argparse.ArgumentParser) -> str:
    commands = _commands(parser)
    described = "\n".join(f"    '{name}:{help_.replace(chr(39), '')}'" for name, (help_, _, _) in commands.items())
    cases = []
    for name, (_, options, choices) in commands.items():
        specs = " ".join(f"'{o}[]:value:({' '.join(choices[o])})'" if o in choices else f"'{o}[]'"
                         for o in options)
        cases.append(f"    {name}) _arguments {specs} '*:file:_files';;")
    return f"""#compdef vfork-codemod
# zsh completion for vfork-codemod (made by `vfork-codemod completion zsh`)
_vfork_codemod() {{
  local -a commands
  commands=(
{described}
  )
  if (( CURRENT == 2 )); then
    _describe 'command' commands
    return
  fi
  case "$words[2]" in
{chr(10).join(cases)}
  esac
}}
_vfork_codemod "$@"
"""
