-- Each customer's latest balance (orders billed - payments received) against the credit limit.
select
    customer_number,
    balance_date as last_activity_date,
    balance_amount,
    credit_limit,
    available_credit_amount,
    is_over_credit_limit
from {{ ref('fct_customer_balances') }}
qualify row_number() over (partition by customer_number order by balance_date desc) = 1
order by balance_amount desc
