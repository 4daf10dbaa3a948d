"""`scan --format github`: one workflow command per site."""

from golden import GOLDEN

SPAWN = (GOLDEN / "c" / "spawn_decl_init" / "input.c").read_bytes()
REVIEW = (GOLDEN / "c" / "review_store_before_exec" / "input.c").read_bytes()

def test_github_annotations(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a,b.c").write_bytes(REVIEW)
    (tmp_path / "s.c").write_bytes(SPAWN)
    code, out, _ = cli("scan", "--format", "github", ".")
    lines = out.decode().splitlines()
    assert code == 1
    assert lines[0].startswith("::error file=a%2Cb.c,line=15,col=8,title=vfork-review::needs review: ")
    assert lines[1].startswith("::warning file=s.c,line=10,col=14,title=vfork-to-spawn::fixable with posix_spawn")
