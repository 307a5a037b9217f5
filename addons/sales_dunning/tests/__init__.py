from . import test_dunning_policy
