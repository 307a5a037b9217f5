from . import sales_collection_item
