from . import (
    test_plan_concurrency,
    test_plan_decomposition,
    test_plan_grades,
    test_plan_measures,
    test_plan_replenishment,
    test_plan_screens,
    test_sales_plan,
    test_tours,
)
