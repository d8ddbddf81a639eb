"""On the real photos of the scan corpus, the chain reads at least as many codes per symbology as the best single
library measured in the same run, and never a text that is not in the picture."""

from collections import defaultdict

import pytest

from pos_app.scanning.chain import default_chain
from tests.scanning.corpus import CORPUS, RAW, samples

pytestmark = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"scan corpus not found at {CORPUS} (shared/ is cloned beside the repository in CI)"
)


def test_chain_reads_at_least_as_well_as_the_best_library_with_no_wrong_text():
    chain = default_chain()
    read: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    total: dict[str, int] = defaultdict(int)
    wrong: list[str] = []
    for sample in samples(640, 480):
        total[sample.symbology] += 1
        texts = {"chain": [r.text for r in chain.decode(sample.gray, still=True)]}
        texts |= {name: decode(sample.gray) for name, decode in RAW.items()}
        for name, found in texts.items():
            read[sample.symbology][name] += sample.expected in found
        wrong += [f"{sample.name}: {t!r}" for t in texts["chain"] if sample.is_wrong(t)]

    report = {sym: dict(counts) | {"of": total[sym]} for sym, counts in read.items()}
    assert not wrong, f"wrong texts: {wrong}"
    for symbology, counts in read.items():
        best = max(counts[name] for name in RAW)
        assert counts["chain"] >= best, f"{symbology}: {report}"
    assert sum(total.values()) == 77 + 62 + 21 + 49
