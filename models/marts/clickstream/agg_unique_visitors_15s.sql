{#- Unique visitors and page views per 15-second window (config: _clickstream__models.yml). -#}
{{ clickstream_visitor_windows(15) }}
