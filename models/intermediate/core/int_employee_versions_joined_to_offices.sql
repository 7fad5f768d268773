{#-
    Employee versions from the snapshot, on the business calendar (macro scd2_versions), with their office
    (type 1, current state): its key as in dim_offices, city and country. An office missing from the source
    leaves them null.
-#}
with

versions as (

    {{ scd2_versions('snp_classicmodels__employees', 'employee_number') }}

),

offices as (

    select * from {{ ref('stg_classicmodels__offices') }}

)

select
    versions.*,
    case
        when offices.office_code is not null then {{ surrogate_key(['offices.office_code']) }}
    end as office_key,
    offices.city as office_city,
    offices.country as office_country
from versions
left join offices on versions.office_code = offices.office_code
