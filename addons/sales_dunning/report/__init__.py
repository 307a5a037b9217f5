from . import sales_collection_item, sales_collection_scorecard, sales_order_collection
