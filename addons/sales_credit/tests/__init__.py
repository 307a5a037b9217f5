from . import test_customer_classification
from . import test_credit_exposure
from . import test_credit_hold
from . import test_credit_bypass
from . import test_credit_security
from . import test_credit_rating
from . import test_credit_concurrency
from . import test_order_review
