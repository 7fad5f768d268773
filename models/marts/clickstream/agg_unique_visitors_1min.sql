{#- Unique visitors and page views per 60-second window (config: _clickstream__models.yml). -#}
{{ clickstream_visitor_windows(60) }}
