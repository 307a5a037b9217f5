from . import test_currencies, test_customer_classification, test_dates, test_formatting, test_settings
