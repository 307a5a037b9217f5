from . import (
    test_allocation_by_credit,
    test_allocation_concurrency,
    test_allocation_explained,
    test_background_allocation,
    test_designated_reservation,
    test_priority_allocation,
    test_shortage_replenishment,
    test_tours,
)
