"""The bilingual codebook: questionnaire items, analysis names, answer labels and the paper's codes."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

import yaml

from ridersurvey import messages
from ridersurvey.data.paths import DATA_DIR


def normalise_label(text: str) -> str:
    """Canonical form for matching labels and headers: NFKC, no whitespace, case-folded.

    NFKC maps full-width characters (``～``, ``？``, ``（``) to their ASCII forms, so a label typed with
    either width matches; whitespace is dropped because PDF extraction and Excel both insert it freely.
    """
    folded = unicodedata.normalize("NFKC", str(text)).casefold()
    return "".join(folded.split())


class Scale(StrEnum):
    """How a predictor enters the model."""

    #: Its code as a number, one slope per step (the paper's choice for every item).
    SCORE = "score"
    #: One indicator per code above the lowest observed code.
    CATEGORIES = "categories"


@dataclass(frozen=True)
class Option:
    """One answer option: numeric code (Table 2), Chinese label as printed (Table 1), English label."""

    code: int
    zh: str
    en: str
    aliases_zh: tuple[str, ...] = ()


@dataclass(frozen=True)
class Variable:
    """One questionnaire item and its analysis variable."""

    name: str
    role: str
    key: bool
    question_zh: str
    question_en: str
    label_en: str
    options: tuple[Option, ...]
    scale: Scale = Scale.SCORE

    @property
    def codes(self) -> tuple[int, ...]:
        return tuple(o.code for o in self.options)

    def label(self, code: int, lang: str = "en") -> str:
        """Label of ``code`` in ``lang`` ('en' or 'zh')."""
        for option in self.options:
            if option.code == code:
                return option.en if lang == "en" else option.zh
        raise KeyError(f"{self.name}: no option with code {code!r}; allowed codes {list(self.codes)}")

    def lookup(self) -> dict[str, int]:
        """Map every accepted spelling of an answer (labels in both languages, aliases, codes) to its code."""
        table: dict[str, int] = {}
        for o in self.options:
            for spelling in (o.zh, o.en, str(o.code), *o.aliases_zh):
                table[normalise_label(spelling)] = o.code
        return table


@dataclass(frozen=True)
class Codebook:
    """The paper's questionnaire items in Table 2's order, the variables the book adds, and the id column.

    ``variables`` are the items the paper's Tables 1 and 2 print; ``added`` are variables of the analysis
    file the paper does not print (a derived variable, a further question). Both can be predictors of the
    model (:class:`ridersurvey.model.logit.ModelSpec`); only the first are compared with the paper's tables.
    """

    id_variable: str
    outcome: str
    variables: tuple[Variable, ...] = field(default_factory=tuple)
    added: tuple[Variable, ...] = field(default_factory=tuple)

    @property
    def names(self) -> list[str]:
        """The questionnaire's variable names in Table 2's order (outcome first)."""
        return [v.name for v in self.variables]

    @property
    def predictors(self) -> list[str]:
        """The questionnaire's predictors in Table 2's order: the paper's model."""
        return [v.name for v in self.variables if v.role == "predictor"]

    @property
    def items(self) -> tuple[Variable, ...]:
        """Every variable of the analysis file: the questionnaire's, then the book's added ones."""
        return (*self.variables, *self.added)

    @property
    def columns(self) -> list[str]:
        """Columns of the coded questionnaire file: the id, then Table 2's order."""
        return [self.id_variable, *self.names]

    @property
    def data_columns(self) -> list[str]:
        """Columns the analysis reads: :attr:`columns`, then the added variables."""
        return [*self.columns, *(v.name for v in self.added)]

    def __getitem__(self, name: str) -> Variable:
        for v in self.items:
            if v.name == name:
                return v
        raise KeyError(f"unknown variable {name!r}; the codebook has {[v.name for v in self.items]}")

    def labels(self, variables: Iterable[str] | None = None) -> dict[str, str]:
        """The labels of ``variables`` (default: the questionnaire's, :attr:`names`) in the catalog's language:
        ``label_en`` through :func:`ridersurvey.messages.label` ("Gender", 性别 in the Chinese edition)."""
        return {v: messages.label(self[v].label_en) for v in (self.names if variables is None else variables)}

    def header_lookup(self) -> dict[str, str]:
        """Map accepted column headers (variable names, Chinese and English question texts) to names."""
        table = {normalise_label(self.id_variable): self.id_variable}
        for v in self.variables:
            for spelling in (v.name, v.question_zh, v.question_en):
                table[normalise_label(spelling)] = v.name
        return table

    def to_labels(self, frame, lang: str = "zh"):
        """Replace codes by labels in a coded frame (the inverse of coding)."""
        out = frame.copy()
        for v in self.items:
            if v.name in out:
                out[v.name] = out[v.name].map(lambda c, v=v: v.label(int(c), lang))
        return out


def _variables(items: list[dict]) -> tuple[Variable, ...]:
    return tuple(
        Variable(
            name=item["name"],
            role=item["role"],
            key=bool(item.get("key", True)),
            question_zh=item["question_zh"],
            question_en=item["question_en"],
            label_en=item["label_en"],
            options=tuple(
                Option(int(o["code"]), str(o["zh"]), str(o["en"]), tuple(o.get("aliases_zh", ())))
                for o in item["options"]
            ),
            scale=Scale(item.get("scale", Scale.SCORE)),
        )
        for item in items
    )


def _parse(raw: dict) -> Codebook:
    return Codebook(
        raw["id_variable"], raw["outcome"], _variables(raw["variables"]), _variables(raw.get("added") or [])
    )


@lru_cache(maxsize=4)
def load_codebook(path: str | Path | None = None) -> Codebook:
    """Read ``data/codebook.yaml`` (or ``path``) into a :class:`Codebook`."""
    path = Path(path) if path else DATA_DIR / "codebook.yaml"
    with open(path, encoding="utf-8") as fh:
        return _parse(yaml.safe_load(fh))


def codebook_table(book: Codebook | None = None):
    """The questionnaire as a long table: one row per answer option of every item, in Table 2's order.

    Parameters
    ----------
    book : Codebook, optional
        Defaults to :func:`load_codebook`.

    Returns
    -------
    pandas.DataFrame
        Columns ``variable``, ``role``, ``question_zh``, ``question_en``, ``code``, ``label_zh``,
        ``label_en``; the appendix prints it so a reader can map every code back to the printed question.
    """
    import pandas as pd

    book = load_codebook() if book is None else book
    rows = [
        {
            "variable": v.name,
            "role": v.role,
            "question_zh": v.question_zh,
            "question_en": v.question_en,
            "code": o.code,
            "label_zh": o.zh,
            "label_en": o.en,
        }
        for v in book.items
        for o in v.options
    ]
    return pd.DataFrame(
        rows, columns=["variable", "role", "question_zh", "question_en", "code", "label_zh", "label_en"]
    )
