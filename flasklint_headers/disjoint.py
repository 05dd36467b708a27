"""Disjoint sets (union-find): which items end up connected, in near-linear time.

The relevance filter links files into groups with it, and the model links
modules into the sets that "searches beyond names" stay within; both must
agree on what "connected" means, so they share this one implementation.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


class DisjointSets(Generic[K]):
    def __init__(self, items: Iterable[K]) -> None:
        self._parent: dict[K, K] = {item: item for item in items}

    def __contains__(self, item: object) -> bool:
        return item in self._parent

    def find(self, item: K) -> K:
        """The representative of ``item``'s set."""
        parent = self._parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]  # path halving
            item = parent[item]
        return item

    def union(self, first: K, second: K) -> None:
        a, b = self.find(first), self.find(second)
        if a != b:
            self._parent[b] = a

    def groups(self) -> dict[K, list[K]]:
        """Each set's members in the order the items were given, by representative."""
        found: dict[K, list[K]] = {}
        for item in self._parent:
            found.setdefault(self.find(item), []).append(item)
        return found
