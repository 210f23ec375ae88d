# nothing here

   
