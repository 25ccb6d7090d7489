"""Reading the split rules: which rule is in force for a unit on a day, and its shares."""

from django.db.models import Q

from galeri.production import allocation as calc
from galeri.production.base import _ancestor_paths
from galeri.production.models import (
    SplitRule,
)


class RuleBook:
    """Rules in force per (unit, day), read once per call. A unit without its own rule
    follows the nearest unit above it that has one (a Kanwil-wide rule)."""

    def __init__(self):
        self.cache = {}

    def rule_for(self, unit, day):
        key = (unit.pk, day)
        if key not in self.cache:
            rules = list(
                SplitRule.objects.filter(unit__path__in=_ancestor_paths(unit), valid_from__lte=day)
                .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
                .select_related("unit")
                .prefetch_related("shares")
            )
            rules.sort(key=lambda r: len(r.unit.path), reverse=True)
            self.cache[key] = rules[0] if rules else None
        return self.cache[key]


def rule_in_force(unit, day):
    return RuleBook().rule_for(unit, day)


def shares_of(rule):
    return [calc.Share(s.kind, s.name, s.basis_points) for s in rule.shares.all()]
