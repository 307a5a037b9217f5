from . import sales_collection_item, sales_order_collection
