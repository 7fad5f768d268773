{#- Customer versions from the snapshot, on the business calendar (macro scd2_versions). -#}
with

versions as (

    {{ scd2_versions('snp_classicmodels__customers', 'customer_number') }}

)

select * from versions
