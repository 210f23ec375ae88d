#ESCAPE = `   
#  syntax =  example/frontend  
FROM busybox
RUN echo a `
  b
