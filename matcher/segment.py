"""Candidate evidence compiled into flat numpy arrays: one segment of the ranking index.

A segment holds a fixed set of candidates as struct-of-arrays: their
credentials (kind, verification, issuer, dates), which skills each
credential certifies, and their roles per skill as day intervals. What
depends on the ranking date, the issuer registry or the policy (credential
strength, years and gap per skill) is derived on demand, vectorised, and
cached; :mod:`matcher.index` combines segments and ranks.

Every formula mirrors :mod:`matcher.evidence` exactly (the same integer days,
the same floating-point steps), so scores agree with the reference.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import scipy.sparse as sp

from matcher.evidence import DAYS_PER_YEAR, degree_level
from matcher.model import Candidate, CredentialKind, Issuer, VerificationStatus
from matcher.policy import ScoringPolicy

__all__ = ["Segment", "SkillColumns", "build_segment", "merge_segments"]

_NONE = -1


class SkillColumns:
    """Skill id <-> column number, shared by every segment of one index."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.index: dict[str, int] = {}

    def column(self, skill_id: str) -> int:
        found = self.index.get(skill_id)
        if found is None:
            found = self.index[skill_id] = len(self.ids)
            self.ids.append(skill_id)
        return found

    def __len__(self) -> int:
        return len(self.ids)


def _union_days(group: np.ndarray, start: np.ndarray, end: np.ndarray, groups: int
                ) -> np.ndarray:
    """Length of the union of [start, end) per group, vectorised (integer days)."""
    if len(group) == 0:
        return np.zeros(groups, dtype=np.int64)
    span = int(max(end.max(), start.max())) - int(min(start.min(), end.min())) + 2
    base = int(min(start.min(), end.min()))
    offset = group.astype(np.int64) * span - base
    order = np.lexsort((start, group))
    g, s, e = group[order], start[order] + offset[order], end[order] + offset[order]
    reach = np.maximum.accumulate(e)
    before = np.empty_like(reach)
    before[0] = s[0]
    before[1:] = reach[:-1]
    first = np.ones(len(g), dtype=bool)
    first[1:] = g[1:] != g[:-1]
    before[first] = s[first]  # a group starts afresh
    gained = np.maximum(0, e - np.maximum(s, before))
    return np.bincount(g, weights=gained, minlength=groups).astype(np.int64)


@dataclass
class Segment:
    """Compiled evidence of a fixed list of candidates."""

    candidate_ids: np.ndarray          # per slot
    external_ids: list[str]            # per slot
    degree_rank: np.ndarray            # per slot: highest education level rank, -1 none
    # credentials
    cred_slot: np.ndarray
    cred_kind: np.ndarray              # kind code (index into policy kinds)
    cred_verification: np.ndarray      # verification code
    cred_issuer: np.ndarray            # issuer id, -1 unknown
    cred_issued: np.ndarray            # ordinal day, -1 unknown
    cred_expires: np.ndarray           # ordinal day, -1 none
    # credential -> skill column
    cs_cred: np.ndarray
    cs_col: np.ndarray
    # role intervals per (slot, column): group number, start, end (-1 current)
    ex_group_slot: np.ndarray          # per group
    ex_group_col: np.ndarray           # per group
    ex_group: np.ndarray               # per interval
    ex_start: np.ndarray
    ex_end: np.ndarray
    # all role intervals per slot (total experience)
    all_slot: np.ndarray
    all_start: np.ndarray
    all_end: np.ndarray

    def __post_init__(self) -> None:
        self._cache: dict[tuple, object] = {}
        self.external = np.asarray(self.external_ids, dtype=object)
        self.requirement_cache: OrderedDict[tuple, tuple] = OrderedDict()
        self.requirement_bytes = 0

    def _cached(self, key: tuple, compute: Callable[[], object]) -> Any:
        """One value per kind (key[0]): a new date or registry replaces the old one."""
        if key not in self._cache:
            for old in [k for k in self._cache if k[0] == key[0]]:
                del self._cache[old]
            self._cache[key] = compute()
        return self._cache[key]

    def __len__(self) -> int:
        return len(self.candidate_ids)

    def nbytes(self) -> int:
        return sum(v.nbytes for v in vars(self).values() if isinstance(v, np.ndarray))

    # -- derived, cached per date / registry / policy --------------------------------------

    def credential_strength(self, as_of: date, issuers: Mapping[int, Issuer],
                            issuers_version: object, policy: ScoringPolicy) -> np.ndarray:
        """c_k per credential (mirrors matcher.evidence.credential_factors)."""
        return self._cached(("strength", as_of, issuers_version, policy),
                            lambda: _strengths(self, as_of, issuers, policy))

    def credential_matrix(self, n_cols: int, as_of: date, issuers: Mapping[int, Issuer],
                          issuers_version: object, policy: ScoringPolicy) -> sp.csc_matrix:
        """max over a candidate's credentials with skill t of c_k, as slots x columns."""
        def compute() -> sp.csc_matrix:
            strength = self.credential_strength(as_of, issuers, issuers_version, policy)
            rows, cols = self.cred_slot[self.cs_cred], self.cs_col
            return _max_matrix(rows, cols, strength[self.cs_cred], len(self), n_cols)

        return self._cached(("credmax", as_of, issuers_version, policy, n_cols), compute)

    def experience_time(self, as_of: date) -> tuple[np.ndarray, np.ndarray]:
        """(years, gap years) per (slot, column) group (mirrors matcher.evidence)."""
        return self._cached(("experience", as_of), lambda: _times(
            self.ex_group, self.ex_start, self.ex_end, len(self.ex_group_slot), as_of))

    def experience_matrix(self, n_cols: int, as_of: date, policy: ScoringPolicy
                          ) -> tuple[sp.csc_matrix, np.ndarray, np.ndarray]:
        """(slot x column structure, years, strength before min_years) in the matrix's order.

        Mirrors matcher.evidence.experience_strength up to the min_years factor,
        which depends on the requirement and is applied when ranking.
        """
        def compute() -> tuple[sp.csc_matrix, np.ndarray, np.ndarray]:
            years, gap = self.experience_time(as_of)
            order = np.lexsort((self.ex_group_slot, self.ex_group_col))
            slots, cols = self.ex_group_slot[order], self.ex_group_col[order]
            indptr = np.searchsorted(cols, np.arange(n_cols + 1)).astype(np.int64)
            structure = sp.csc_matrix((np.ones(len(order)), slots, indptr),
                                      shape=(len(self), n_cols))
            y, g = years[order], gap[order]
            amount = 1.0 - np.exp(-y / policy.experience_saturation_years)
            recency = np.maximum(policy.recency_floor,
                                 0.5 ** (g / policy.recency_half_life_years))
            return structure, y, policy.experience_base * amount * recency

        return self._cached(("exmat", as_of, policy, n_cols), compute)

    def total_years(self, as_of: date) -> np.ndarray:
        def compute() -> np.ndarray:
            start, end = _clip(self.all_start, self.all_end, as_of)
            return _union_days(self.all_slot, start, end, len(self)) / DAYS_PER_YEAR

        return self._cached(("total", as_of), compute)


def _clip(start: np.ndarray, end: np.ndarray, as_of: date) -> tuple[np.ndarray, np.ndarray]:
    today = as_of.toordinal()
    end = np.minimum(np.where(end == _NONE, today, end), today)
    start = np.minimum(start, today)
    return start, np.maximum(start, end)


def _times(group: np.ndarray, start: np.ndarray, end: np.ndarray, groups: int, as_of: date
           ) -> tuple[np.ndarray, np.ndarray]:
    s, e = _clip(start, end, as_of)
    days = _union_days(group, s, e, groups)
    current = np.zeros(groups, dtype=bool)
    current[group[end == _NONE]] = True
    last = np.full(groups, np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(last, group, e)
    gap = np.where(current, 0, np.maximum(0, as_of.toordinal() - last))
    return days / DAYS_PER_YEAR, gap / DAYS_PER_YEAR


def _max_matrix(rows: np.ndarray, cols: np.ndarray, values: np.ndarray, n_rows: int,
                n_cols: int) -> sp.csc_matrix:
    """A sparse matrix keeping the maximum of duplicate (row, col) entries."""
    if len(rows) == 0:
        return sp.csc_matrix((n_rows, n_cols))
    order = np.lexsort((rows, cols))
    r, c, v = rows[order], cols[order], values[order]
    starts = np.flatnonzero(np.r_[True, (r[1:] != r[:-1]) | (c[1:] != c[:-1])])
    best = np.maximum.reduceat(v, starts)
    matrix = sp.csc_matrix((best, (r[starts], c[starts])), shape=(n_rows, n_cols))
    matrix.sort_indices()
    return matrix


def _trust(issuer: Issuer | None, days: np.ndarray, as_of: date,
           policy: ScoringPolicy) -> np.ndarray:
    """matcher.evidence.issuer_trust for many issue days at once."""
    if issuer is None or not issuer.reviewed:
        return np.full(len(days), policy.trust_unknown)
    standing = [a for a in issuer.accreditations if a.status.value != "revoked"]
    covered = np.zeros(len(days), dtype=bool)
    for a in standing:
        if a.status.value != "active":
            continue
        inside = np.ones(len(days), dtype=bool)
        if a.valid_from:
            inside &= days >= a.valid_from.toordinal()
        if a.valid_until:
            inside &= days <= a.valid_until.toordinal()
        covered |= inside
    otherwise = policy.trust_lapsed if standing else policy.trust_known
    trust = np.where(covered, policy.trust_accredited, otherwise)
    if issuer.industry_recognized:
        trust = np.minimum(1.0, trust + policy.trust_industry_bonus)
    return trust


def _strengths(seg: Segment, as_of: date, issuers: Mapping[int, Issuer],
               policy: ScoringPolicy) -> np.ndarray:
    kinds = np.array([policy.kind_factor(k) for k in _KINDS])
    verifications = np.array([policy.verification_factor(v) for v in _VERIFICATIONS])
    today = as_of.toordinal()
    issued = seg.cred_issued
    known = issued != _NONE
    age = np.where(known, (today - issued) / DAYS_PER_YEAR, 0.0)
    currency = np.where(known, np.maximum(policy.currency_floor,
                                          0.5 ** (age / policy.currency_half_life_years)),
                        policy.currency_floor)
    expired = (seg.cred_expires != _NONE) & (seg.cred_expires < today)
    currency = np.where(expired, currency * policy.expired_factor, currency)
    currency = np.where(known & (issued > today), 0.0, currency)
    trust = np.full(len(issued), policy.trust_unknown)
    for issuer_id in np.unique(seg.cred_issuer[seg.cred_issuer != _NONE]):
        mask = seg.cred_issuer == issuer_id
        days = np.where(issued[mask] == _NONE, today, issued[mask])
        trust[mask] = _trust(issuers.get(int(issuer_id)), days, as_of, policy)
    return (policy.credential_base * kinds[seg.cred_kind] * trust
            * verifications[seg.cred_verification] * currency)


_KINDS = list(CredentialKind)
_VERIFICATIONS = list(VerificationStatus)
_KIND_CODE = {k: i for i, k in enumerate(_KINDS)}
_VERIFICATION_CODE = {v: i for i, v in enumerate(_VERIFICATIONS)}


def build_segment(candidates: Iterable[Candidate], columns: SkillColumns) -> Segment:
    """Compile candidates (with resolved skills) into a segment."""
    out: dict[str, list] = {name: [] for name in (
        "cid", "ext", "degree", "cslot", "ckind", "cver", "ciss", "cissued", "cexp",
        "cscred", "cscol", "gslot", "gcol", "xg", "xs", "xe", "aslot", "as", "ae")}
    column: Callable[[str], int] = columns.column
    for slot, candidate in enumerate(candidates):
        out["cid"].append(candidate.id if candidate.id is not None else -1)
        out["ext"].append(candidate.external_id)
        levels = [lv.rank for k in candidate.credentials if (lv := degree_level(k)) is not None]
        out["degree"].append(max(levels, default=-1))
        for credential in candidate.credentials:
            cred = len(out["cslot"])
            out["cslot"].append(slot)
            out["ckind"].append(_KIND_CODE[credential.kind])
            out["cver"].append(_VERIFICATION_CODE[credential.verification.status])
            out["ciss"].append(credential.issuer_id if credential.issuer_id else _NONE)
            out["cissued"].append(credential.issued_on.toordinal() if credential.issued_on
                                  else _NONE)
            out["cexp"].append(credential.expires_on.toordinal() if credential.expires_on
                               else _NONE)
            for skill_id in {r.skill_id for r in credential.skills if r.skill_id}:
                out["cscred"].append(cred)
                out["cscol"].append(column(skill_id))
        groups: dict[int, int] = {}
        for role in candidate.experience:
            end = role.end_date.toordinal() if role.end_date else _NONE
            out["aslot"].append(slot)
            out["as"].append(role.start_date.toordinal())
            out["ae"].append(end)
            for skill_id in {r.skill_id for r in role.skills if r.skill_id}:
                col = column(skill_id)
                if col not in groups:
                    groups[col] = len(out["gslot"])
                    out["gslot"].append(slot)
                    out["gcol"].append(col)
                out["xg"].append(groups[col])
                out["xs"].append(role.start_date.toordinal())
                out["xe"].append(end)

    def arr(name: str, dtype: type = np.int64) -> np.ndarray:
        return np.asarray(out[name], dtype=dtype)

    return Segment(
        candidate_ids=arr("cid"), external_ids=out["ext"], degree_rank=arr("degree", np.int8),
        cred_slot=arr("cslot", np.int32), cred_kind=arr("ckind", np.int8),
        cred_verification=arr("cver", np.int8), cred_issuer=arr("ciss"),
        cred_issued=arr("cissued"), cred_expires=arr("cexp"),
        cs_cred=arr("cscred"), cs_col=arr("cscol", np.int32),
        ex_group_slot=arr("gslot", np.int32), ex_group_col=arr("gcol", np.int32),
        ex_group=arr("xg"), ex_start=arr("xs"), ex_end=arr("xe"),
        all_slot=arr("aslot"), all_start=arr("as"), all_end=arr("ae"))


def merge_segments(segments: list[Segment], alive: list[np.ndarray]) -> Segment:
    """One segment holding the live slots of ``segments``, in order."""
    parts: dict[str, list] = {k: [] for k in (
        "cid", "ext", "degree", "cslot", "ckind", "cver", "ciss", "cissued", "cexp", "cscred",
        "cscol", "gslot", "gcol", "xg", "xs", "xe", "aslot", "as", "ae")}
    slots = creds = groups = 0
    for seg, live in zip(segments, alive, strict=True):
        new_slot = np.cumsum(live) - 1 + slots
        keep_cred = live[seg.cred_slot]
        new_cred = np.cumsum(keep_cred) - 1 + creds
        keep_cs = keep_cred[seg.cs_cred]
        keep_group = live[seg.ex_group_slot]
        new_group = np.cumsum(keep_group) - 1 + groups
        keep_x = keep_group[seg.ex_group]
        keep_all = live[seg.all_slot]
        parts["cid"].append(seg.candidate_ids[live])
        parts["ext"].extend(e for e, ok in zip(seg.external_ids, live, strict=True) if ok)
        parts["degree"].append(seg.degree_rank[live])
        parts["cslot"].append(new_slot[seg.cred_slot[keep_cred]])
        for name, values in (("ckind", seg.cred_kind), ("cver", seg.cred_verification),
                             ("ciss", seg.cred_issuer), ("cissued", seg.cred_issued),
                             ("cexp", seg.cred_expires)):
            parts[name].append(values[keep_cred])
        parts["cscred"].append(new_cred[seg.cs_cred[keep_cs]])
        parts["cscol"].append(seg.cs_col[keep_cs])
        parts["gslot"].append(new_slot[seg.ex_group_slot[keep_group]])
        parts["gcol"].append(seg.ex_group_col[keep_group])
        parts["xg"].append(new_group[seg.ex_group[keep_x]])
        parts["xs"].append(seg.ex_start[keep_x])
        parts["xe"].append(seg.ex_end[keep_x])
        parts["aslot"].append(new_slot[seg.all_slot[keep_all]])
        parts["as"].append(seg.all_start[keep_all])
        parts["ae"].append(seg.all_end[keep_all])
        slots, creds, groups = slots + int(live.sum()), creds + int(keep_cred.sum()), \
            groups + int(keep_group.sum())

    def cat(name: str, dtype: type) -> np.ndarray:
        return np.concatenate(parts[name]).astype(dtype) if parts[name] else \
            np.empty(0, dtype=dtype)

    return Segment(
        candidate_ids=cat("cid", np.int64), external_ids=parts["ext"],
        degree_rank=cat("degree", np.int8), cred_slot=cat("cslot", np.int32),
        cred_kind=cat("ckind", np.int8), cred_verification=cat("cver", np.int8),
        cred_issuer=cat("ciss", np.int64), cred_issued=cat("cissued", np.int64),
        cred_expires=cat("cexp", np.int64), cs_cred=cat("cscred", np.int64),
        cs_col=cat("cscol", np.int32), ex_group_slot=cat("gslot", np.int32),
        ex_group_col=cat("gcol", np.int32), ex_group=cat("xg", np.int64),
        ex_start=cat("xs", np.int64), ex_end=cat("xe", np.int64),
        all_slot=cat("aslot", np.int64), all_start=cat("as", np.int64),
        all_end=cat("ae", np.int64))
