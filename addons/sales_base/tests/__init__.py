from . import (
    test_abc_grading,
    test_currencies,
    test_customer_classification,
    test_dates,
    test_formatting,
    test_settings,
    test_tours,
)
