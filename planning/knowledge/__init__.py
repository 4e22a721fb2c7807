"""The knowledge pack: read-models, loading and validation."""

from planning.knowledge.models import Pack, PackInfo, pick
from planning.knowledge.pack import PackError, PackProblem, bundled_pack_dir, load_pack

__all__ = ["Pack", "PackError", "PackInfo", "PackProblem", "bundled_pack_dir", "load_pack", "pick"]
