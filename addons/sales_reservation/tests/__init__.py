from . import test_priority_allocation
from . import test_designated_reservation
from . import test_allocation_concurrency
