from . import test_priority_allocation
