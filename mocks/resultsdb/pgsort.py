"""PostgreSQL's in-memory quicksort, so results with equal submit times come out in the order the real
(PostgreSQL-backed) server gives them; SQL's ORDER BY leaves ties unspecified, clients see the order.

This is the Bentley-McIlroy quicksort from BSD that PostgreSQL's sort_template.h uses (median of three,
ninther above 40 items, insertion sort below 7, a pre-sorted check), written here from the published
algorithm; input is in heap (insertion, i.e. id) order, as a sequential scan delivers it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

Item = TypeVar("Item")


def pg_sorted(items: Sequence[Item], compare: Callable[[Item, Item], int]) -> list[Item]:
    """Sort like PostgreSQL's qsort: not stable, but deterministic for a given input order."""
    a = list(items)

    def swap(i: int, j: int) -> None:
        a[i], a[j] = a[j], a[i]

    def swap_block(i: int, j: int, count: int) -> None:
        for k in range(count):
            swap(i + k, j + k)

    def median3(x: int, y: int, z: int) -> int:
        if compare(a[x], a[y]) < 0:
            return y if compare(a[y], a[z]) < 0 else (z if compare(a[x], a[z]) < 0 else x)
        return y if compare(a[y], a[z]) > 0 else (x if compare(a[x], a[z]) < 0 else z)

    def partition(lo: int, n: int) -> tuple[int, int, int, int]:
        """Three-way partition around a[lo]; returns (pa, pb, pc, pd) as the C code names them."""
        pa = pb = lo + 1
        pc = pd = lo + n - 1
        while True:
            while pb <= pc and (r := compare(a[pb], a[lo])) <= 0:
                if r == 0:
                    swap(pa, pb)
                    pa += 1
                pb += 1
            while pb <= pc and (r := compare(a[pc], a[lo])) >= 0:
                if r == 0:
                    swap(pc, pd)
                    pd -= 1
                pc -= 1
            if pb > pc:
                return pa, pb, pc, pd
            swap(pb, pc)
            pb += 1
            pc -= 1

    def sort(lo: int, n: int) -> None:
        while True:
            if n < 7:
                for pm in range(lo + 1, lo + n):
                    pl = pm
                    while pl > lo and compare(a[pl - 1], a[pl]) > 0:
                        swap(pl, pl - 1)
                        pl -= 1
                return
            if all(compare(a[i - 1], a[i]) <= 0 for i in range(lo + 1, lo + n)):
                return
            pm = lo + n // 2
            if n > 7:
                pl, pn = lo, lo + n - 1
                if n > 40:
                    d = n // 8
                    pl, pm, pn = (
                        median3(pl, pl + d, pl + 2 * d),
                        median3(pm - d, pm, pm + d),
                        median3(pn - 2 * d, pn - d, pn),
                    )
                pm = median3(pl, pm, pn)
            swap(lo, pm)
            pa, pb, pc, pd = partition(lo, n)
            end = lo + n
            swap_block(lo, pb - min(pa - lo, pb - pa), min(pa - lo, pb - pa))
            swap_block(pb, end - min(pd - pc, end - pd - 1), min(pd - pc, end - pd - 1))
            left, right = pb - pa, pd - pc
            if left <= right:
                if left > 1:
                    sort(lo, left)
                if right <= 1:
                    return
                lo, n = end - right, right
            else:
                if right > 1:
                    sort(end - right, right)
                if left <= 1:
                    return
                n = left

    sort(0, len(a))
    return a
