{#-
    One row per order, linked to the customer's last email touch before it (last-touch attribution):
    the last click inside var email_attribution_click_window_days, else the last open inside
    var email_attribution_open_window_days. Orders carry a date only, so a touch counts when its UTC date is the
    order date or one of the N days before it. Only touches on emails whose send has arrived count (the send
    names the customer). The order's sales amount is attributed revenue when a touch wins, organic otherwise.
    A table rebuilt on every run: a new touch can change the winner of any order in its window, and a changed or
    deleted order anywhere must follow, so each run computes every order's row anyway (reads and one join).
-#}
with

orders as (

    select * from {{ ref('fct_orders') }}

),

touches as (

    select * from {{ ref('fct_email_events') }}
    where event_type in ('opened', 'clicked') and is_send_received

),

candidates as (

    select
        orders.order_number,
        touches.event_key,
        touches.event_id,
        touches.event_type,
        touches.event_at,
        touches.partner_id,
        touches.subject,
        touches.layout,
        touches.email_provider,
        touches.algorithms
    from orders
    inner join touches
        on
            orders.customer_number = touches.customer_number
            and orders.order_date >= touches.event_date
            and {{ days_between('touches.event_date', 'orders.order_date') }} <= case -- noqa: LT05
                when touches.event_type = 'clicked' then {{ var('email_attribution_click_window_days') }}
                else {{ var('email_attribution_open_window_days') }}
            end

),

ranked_touches as (

    -- A click wins over any open; among touches of the same kind the latest wins.
    select
        *,
        row_number() over (
            partition by order_number
            order by case when event_type = 'clicked' then 0 else 1 end, event_at desc, event_key desc
        ) as touch_rank
    from candidates

),

last_touches as (

    select * from ranked_touches
    where touch_rank = 1

),

attributed as (

    select
        -- ids
        orders.order_number,
        orders.customer_number,
        orders.customer_key,
        last_touches.event_key as attributed_event_key,
        last_touches.event_id as attributed_event_id,

        -- the order
        orders.order_date,
        orders.order_status,
        orders.sales_amount,

        -- the winning touch
        last_touches.event_type as attributed_touch_type,
        last_touches.event_at as attributed_touch_at,
        last_touches.partner_id,
        last_touches.subject,
        last_touches.layout,
        last_touches.email_provider,
        last_touches.algorithms,
        cast({{ days_between('cast(last_touches.event_at as date)', 'orders.order_date') }} as integer) -- noqa: LT05
            as days_from_touch_to_order,

        -- revenue
        cast(case when last_touches.event_key is not null then orders.sales_amount else 0 end as decimal(18, 2))
            as attributed_revenue,
        cast(case when last_touches.event_key is null then orders.sales_amount else 0 end as decimal(18, 2))
            as organic_revenue,
        last_touches.event_key is not null as is_email_attributed

    from orders
    left join last_touches on orders.order_number = last_touches.order_number

)

select * from attributed
