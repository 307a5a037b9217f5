"""The sizes of the benchmark data and of each scenario. Every size is fixed, so two runs at one scale compare."""

SCALES = {
    # the smoke run of `make test`: every scenario once, on data made in seconds
    "tiny": {
        "customers": 60, "products": 50, "categories": 5, "teams": 2, "salespeople": 2, "key_customers": 2,
        "order_lines": 3_000, "open_items": 600, "history": (10, 100, 1_000),
        "short_products": 10, "waiting_moves": 100, "dunning_items": (200, 400),
        "export_rows": 1_000, "repeat": 1,
    },
    # `make bench`: a few minutes
    "small": {
        "customers": 2_000, "products": 500, "categories": 20, "teams": 20, "salespeople": 10, "key_customers": 10,
        "order_lines": 100_000, "open_items": 20_000, "history": (10, 1_000, 50_000),
        "short_products": 100, "waiting_moves": 1_000, "dunning_items": (10_000, 20_000),
        "export_rows": 10_000, "repeat": 3,
    },
    # `make bench SCALE=large`: the sizes of the benchmark issue
    "large": {
        "customers": 20_000, "products": 5_000, "categories": 50, "teams": 20, "salespeople": 10,
        "key_customers": 10, "order_lines": 1_000_000, "open_items": 200_000, "history": (10, 1_000, 50_000),
        "short_products": 1_000, "waiting_moves": 10_000, "dunning_items": (100_000, 200_000),
        "export_rows": 100_000, "repeat": 3,
    },
}
