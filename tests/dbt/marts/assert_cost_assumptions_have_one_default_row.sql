-- seeds/cost_assumptions.csv holds exactly one default row (country = var cost_assumptions_default_country):
-- without it, countries with no row of their own get no rates (null net profit); with two, lines would double.
select
    '{{ var("cost_assumptions_default_country") }}' as default_country,
    count(*) as default_rows
from {{ ref('cost_assumptions') }}
where country = '{{ var("cost_assumptions_default_country") }}'
having count(*) != 1
