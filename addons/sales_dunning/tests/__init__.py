from . import test_dunning_policy
from . import test_dunning_run
from . import test_dunning_concurrency
from . import test_cash_discount
