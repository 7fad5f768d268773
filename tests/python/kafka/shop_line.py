"""A valid shop transaction message, for the pure tests to vary."""

LINE = {
    "TransactionNo": "581482",
    "Date": "2019-12-09T10:03:00",
    "ProductNo": "22485",
    "ProductName": "Set Of 2 Wooden Market Crates",
    "Price": 21.47,
    "Quantity": 12,
    "CustomerNo": 17490,
    "Country": "United Kingdom",
}
